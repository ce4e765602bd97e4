"""Background jobs of the embedded runtime and the periodic entries' last runs."""

from django.db import models


class Job(models.Model):
    """One piece of background work, written in the transaction that asked for it.

    A process runs a job under a lease that it renews while it works; a job whose lease ran
    out belongs to a process that died, and the next process to look takes it up again, at
    most ``max_attempts`` times in all.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "执行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    task = models.CharField("任务", max_length=200)
    args = models.JSONField("位置参数", default=list, blank=True)
    kwargs = models.JSONField("关键字参数", default=dict, blank=True)
    periodic = models.CharField("定时任务", max_length=100, blank=True, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices,
                             default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("已执行次数", default=0)
    max_attempts = models.PositiveSmallIntegerField("最多执行次数", default=3)
    run_after = models.DateTimeField("不早于")
    owner = models.CharField("执行进程", max_length=120, blank=True)
    lease_expires_at = models.DateTimeField("租约到期", null=True, blank=True)
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "run_after"]),
                   models.Index(fields=["state", "lease_expires_at"])]

    def __str__(self):
        return f"#{self.pk} {self.task} {self.get_state_display()}"


class PeriodicRun(models.Model):
    """The row a process locks to start a periodic entry, so that several server processes
    start it once between them."""

    name = models.CharField("定时任务", max_length=100, primary_key=True)
    last_run_at = models.DateTimeField("上次启动", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务"

    def __str__(self):
        return self.name
