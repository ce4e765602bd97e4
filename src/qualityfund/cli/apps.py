from django.apps import AppConfig


class CliConfig(AppConfig):
    """Holds the project's management commands (the command-line interface layer)."""

    name = "qualityfund.cli"
    label = "cli"
    verbose_name = "命令行"
