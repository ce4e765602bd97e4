"""Who applies for what in the showcase year, and how far each application has come.

Fictitious organisations of Shenzhen's districts with valid credit codes; projects in all
seven sub-programmes with figures that meet the 2025 guide's hard conditions.
"""

from dataclasses import dataclass, field
from datetime import date

# The demo organisation of ``seed_demo`` (user ``applicant``) takes part as well.
DEMO_APPLICANT = "applicant"


@dataclass(frozen=True)
class Org:
    username: str
    code17: str
    name: str
    district: str
    industry: str
    established_on: date
    legal_representative: str
    contact_name: str
    street: str


ORGANISATIONS = (
    Org("jingmi", "91440300MA5HC0001", "深圳市鹏城精密制造有限公司", "宝安区", "通用设备制造业",
        date(2009, 4, 16), "周国强", "吴丽", "宝安区福永街道凤凰工业区8栋"),
    Org("zhilian", "91440300MA5HC0002", "深圳市南山智联检测技术有限公司", "南山区",
        "专业技术服务业", date(2012, 9, 3), "许文博", "郑敏", "南山区粤海街道高新南七道12号"),
    Org("biaozhun", "91440300MA5HC0003", "深圳市福田湾区标准化服务有限公司", "福田区",
        "商务服务业", date(2015, 1, 20), "梁志远", "何静", "福田区福保街道市花路5号"),
    Org("xinneng", "91440300MA5HC0004", "深圳市龙岗新能源电池科技有限公司", "龙岗区",
        "电气机械和器材制造业", date(2011, 7, 8), "邓海涛", "孙悦", "龙岗区宝龙街道宝荷大道66号"),
    Org("shengyi", "91440300MA5HC0005", "深圳市光明生物医药有限公司", "光明区", "医药制造业",
        date(2014, 11, 11), "谢明辉", "冯晓燕", "光明区凤凰街道科裕路18号"),
    Org("zhuangbei", "91440300MA5HC0006", "深圳市坪山智能装备有限公司", "坪山区",
        "专用设备制造业", date(2010, 3, 29), "唐建军", "韩雪", "坪山区龙田街道锦绣中路9号"),
    Org("dianzi", "91440300MA5HC0007", "深圳市龙华电子信息有限公司", "龙华区",
        "计算机、通信和其他电子设备制造业", date(2008, 6, 2), "曹伟", "罗佳", "龙华区观澜街道环观南路33号"),
    Org("zhubao", "91440300MA5HC0008", "深圳市罗湖珠宝品牌发展有限公司", "罗湖区",
        "其他制造业（珠宝首饰）", date(2013, 10, 15), "宋美玲", "林涛", "罗湖区翠竹街道水贝二路20号"),
)


# How far an application goes, each stage one more service call than the one before.
SUBMITTED = "submitted"                  # waits in the officer's queue
SUPPLEMENTING = "supplementing"          # an open 补正 request
SUPPLEMENTED_ACCEPTED = "supplemented"   # 补正, answered, then accepted
ACCEPTED = "accepted"                    # waits for the rechecker
REFUSED = "refused"
RECHECKED = "rechecked"                  # waits for a panel (or verification)
VERIFIED = "verified"                    # honors: 核查 done → reviewed
PANEL_OPEN = "panel_open"                # on the drawn panel still scoring
PANEL_DONE = "panel_done"                # panel finalised → reviewed


@dataclass(frozen=True)
class Project:
    ref: str
    org: str  # username of the applying organisation's user
    subprogramme: str
    name: str
    summary: str
    stage: str
    figures: dict
    started_on: date
    requested: int | None = None
    quality: int = 80  # the panel's view of it, 0–100, for the showcase's score sheets
    site_visit: str = ""


P = Project
PROJECTS = (
    # --- honors: verification, no panel ---------------------------------------------------
    P("H1", DEMO_APPLICANT, "honors", "“焊点零缺陷”QC小组电子装联质量改进成果",
      "公司QC小组以回流焊虚焊率为课题，运用质量管理小组活动程序，将焊点缺陷率由1200ppm降至"
      "180ppm，成果获2024年国际质量管理小组大会金奖。", VERIFIED,
      {"award_event": "国际质量管理小组大会（ICQCC）优胜项目", "award_year": "2024",
       "award_name": "2024年国际质量管理小组大会（ICQCC）金奖"}, date(2023, 3, 1)),
    P("H2", "jingmi", "honors", "精密主轴装配一次合格率提升创新成果",
      "以精益质量方法重构主轴装配工艺，一次装配合格率由93.2%提升至99.1%，获2024年国际质量"
      "创新大赛优胜项目。", VERIFIED,
      {"award_event": "国际质量创新大赛优胜项目", "award_year": "2024",
       "award_name": "2024年国际质量创新大赛金奖"}, date(2023, 5, 1)),
    P("H3", "dianzi", "honors", "5G射频模组可靠性提升技术成果",
      "围绕射频模组温循失效开展质量技术攻关，失效率下降82%，获2024年全国质量创新与技术成果"
      "交流活动最高等次奖项。", RECHECKED,
      {"award_event": "全国质量创新与技术成果交流活动最高等次奖项", "award_year": "2024",
       "award_name": "2024年全国质量创新与技术成果交流活动一等成果"}, date(2023, 4, 1)),
    # --- qi-service ---------------------------------------------------------------------------
    P("Q1", "zhilian", "qi-service", "电子信息中小企业计量检测认证一站式服务项目",
      "依托南山区质量基础设施一站式服务站，为电子信息中小企业提供计量校准、检验检测、认证咨询"
      "组合服务，帮扶企业解决来料检验与焊接可靠性问题。", SUBMITTED,
      {"completed_on": "2024-11-30", "is_one_stop_platform": "true", "smes_served": "126",
       "labour_productivity_gain_percent": "8.5", "quality_loss_reduction_percent": "12.6",
       "typical_cases": "4"}, date(2024, 2, 1), 300_000),
    P("Q2", "biaozhun", "qi-service", "中小制造企业标准化良好行为帮扶服务项目",
      "面向福田区及周边中小制造企业开展标准体系诊断、企业标准自我声明辅导与标准化良好行为"
      "创建服务。", SUBMITTED,
      {"completed_on": "2024-12-15", "is_one_stop_platform": "true", "smes_served": "88",
       "labour_productivity_gain_percent": "6.2", "quality_loss_reduction_percent": "10.8",
       "typical_cases": "3"}, date(2024, 3, 1), 260_000),
    P("Q3", "zhilian", "qi-service", "新能源汽车零部件可靠性检测公共服务项目",
      "建成零部件环境可靠性与电磁兼容联合检测能力，为新能源汽车零部件中小企业提供检测、"
      "失效分析与整改辅导。", ACCEPTED,
      {"completed_on": "2024-10-31", "is_one_stop_platform": "true", "smes_served": "102",
       "labour_productivity_gain_percent": "7.1", "quality_loss_reduction_percent": "14",
       "typical_cases": "5"}, date(2024, 1, 15), 280_000),
    # --- gba ----------------------------------------------------------------------------------
    P("G1", "biaozhun", "gba", "粤港澳大湾区标准互认高端论坛",
      "联合香港、澳门标准与认证机构举办大湾区标准互认高端论坛，发布团体标准互认清单。",
      SUPPLEMENTED_ACCEPTED,
      {"completed_on": "2024-10-20", "activity_form": "高端论坛", "gba_regions": "8",
       "participating_units": "52", "hk_macao_units": "9", "media_reports": "7"},
      date(2024, 5, 1)),
    P("G2", "zhilian", "gba", "大湾区检验检测结果互认线上服务平台",
      "建设检验检测结果互认线上服务平台，汇聚三地实验室资质与报告信息，实现一次检测、三地互认。",
      ACCEPTED,
      {"completed_on": "2024-12-10", "activity_form": "综合性线上服务平台建设",
       "gba_regions": "9", "participating_units": "64", "hk_macao_units": "11",
       "media_reports": "5"}, date(2024, 1, 10)),
    P("G3", "zhubao", "gba", "粤港澳珠宝首饰检测标准协同学术会议",
      "举办珠宝首饰贵金属含量检测方法学术会议，推动深港澳检测实验室比对与方法协同。", SUBMITTED,
      {"completed_on": "2024-09-26", "activity_form": "学术会议", "gba_regions": "6",
       "participating_units": "38", "hk_macao_units": "6", "media_reports": "3"},
      date(2024, 6, 1)),
    # --- brand: a panel still scoring ---------------------------------------------------------
    P("B1", "zhubao", "brand", "“水贝珠宝”区域品牌培育行动",
      "以水贝珠宝产业集聚区为载体，推行珠宝首饰团体标准与诚信经营承诺，发布年度品牌榜单。",
      PANEL_OPEN,
      {"completed_on": "2024-12-01", "coverage_percent": "68", "public_reach": "26000",
       "typical_experiences": "4", "satisfaction_percent": "93", "published_list": "true",
       "influential_media": "5"}, date(2024, 1, 5), quality=89),
    P("B2", "jingmi", "brand", "“鹏城精造”精密制造品牌培育项目",
      "组织宝安精密制造企业开展质量对标与品牌评价，推广精密零件加工服务规范。", PANEL_OPEN,
      {"completed_on": "2024-11-20", "coverage_percent": "55", "public_reach": "6200",
       "typical_experiences": "3", "satisfaction_percent": "88", "published_list": "false",
       "influential_media": "1"}, date(2024, 2, 1), quality=82),
    P("B3", "xinneng", "brand", "新能源电池“安全+”品牌建设项目",
      "联合产业链上下游推行动力电池安全质量分级评价，开展“安全+”品牌进社区宣传。", PANEL_OPEN,
      {"completed_on": "2024-12-20", "coverage_percent": "61", "public_reach": "12000",
       "typical_experiences": "3", "satisfaction_percent": "90", "published_list": "true",
       "influential_media": "3"}, date(2024, 3, 1), quality=80),
    P("B4", "shengyi", "brand", "光明生物医药质量品牌提升计划",
      "面向光明科学城生物医药企业推行药品质量管理规范对标与“光明药谷”品牌共建。", PANEL_OPEN,
      {"completed_on": "2024-10-30", "coverage_percent": "72", "public_reach": "5600",
       "typical_experiences": "5", "satisfaction_percent": "95", "published_list": "false",
       "influential_media": "2"}, date(2024, 1, 20), quality=86),
    P("B5", "dianzi", "brand", "“龙华智造”电子信息品牌培育项目",
      "推行电子信息产品服务规范和售后服务认证，培育龙华电子信息区域品牌。", PANEL_OPEN,
      {"completed_on": "2024-12-05", "coverage_percent": "52", "public_reach": "7800",
       "typical_experiences": "3", "satisfaction_percent": "84", "published_list": "false",
       "influential_media": "1"}, date(2024, 4, 1), quality=75),
    P("B6", "biaozhun", "brand", "“湾区认证”服务品牌推广项目",
      "推广“湾区认证”服务品牌，组织企业开展认证采信宣传与消费者体验活动。", PANEL_OPEN,
      {"completed_on": "2024-11-08", "coverage_percent": "50", "public_reach": "5200",
       "typical_experiences": "3", "satisfaction_percent": "81", "published_list": "true",
       "influential_media": "2"}, date(2024, 3, 15), quality=71),
    # --- innovation: a finished panel; funding checks and plans next --------------------------
    P("I1", "xinneng", "innovation", "动力电池极片涂布缺陷在线检测技术攻关",
      "研发极片涂布缺陷机器视觉在线检测系统，漏检率由3%降至0.2%，年减少质量损失约420万元。",
      PANEL_DONE,
      {"completed_on": "2024-09-30", "project_type": "质量技术攻关",
       "funded_before_same_core": "false",
       "cost_benefit_summary": "投入186万元，年减少质量损失420万元，投入产出比1:2.3"},
      date(2023, 10, 1), 200_000, quality=90, site_visit="现场查看在线检测系统运行记录，与报告一致。"),
    P("I2", "zhuangbei", "innovation", "伺服压装过程质量零缺陷控制技术",
      "以压装力-位移曲线实时判定取代抽检，装配不良率由0.8%降至0.05%。", PANEL_DONE,
      {"completed_on": "2024-08-15", "project_type": "质量技术攻关",
       "funded_before_same_core": "false",
       "cost_benefit_summary": "投入95万元，年节约返工及索赔费用210万元"},
      date(2023, 9, 1), 180_000, quality=84),
    P("I3", "shengyi", "innovation", "无菌制剂生产质量风险分级管控模式创新",
      "建立无菌制剂关键工序质量风险分级管控模式，偏差发生率下降46%。", PANEL_DONE,
      {"completed_on": "2024-11-30", "project_type": "质量管理创新",
       "funded_before_same_core": "false",
       "cost_benefit_summary": "投入60万元，年减少批次报废损失120万元"},
      date(2024, 1, 1), 150_000, quality=68),
    P("I4", "jingmi", "innovation", "精密主轴动平衡工艺质量攻关",
      "优化主轴动平衡校正工艺与检测方法，振动超差返修率由5.6%降至0.9%。", PANEL_DONE,
      {"completed_on": "2024-12-10", "project_type": "质量技术攻关",
       "funded_before_same_core": "false",
       "cost_benefit_summary": "投入120万元，年节约质量成本300万元"},
      date(2024, 2, 1), 200_000, quality=78),
    # Rechecked after the first panel was drawn: waits for the second round's panel, so the
    # first round's plan is drafted on purpose without it (批次).
    P("I5", "dianzi", "innovation", "5G射频模组焊点可靠性质量攻关",
      "针对射频模组温循后焊点开裂问题，优化焊料合金与回流曲线，温循失效率由1.2%降至0.15%。",
      RECHECKED,
      {"completed_on": "2024-12-05", "project_type": "质量技术攻关",
       "funded_before_same_core": "false",
       "cost_benefit_summary": "投入110万元，年减少返修及索赔损失260万元"},
      date(2024, 3, 1), 150_000, quality=83),
    # --- digital ------------------------------------------------------------------------------
    P("D1", DEMO_APPLICANT, "digital", "电子装配质量数据平台数字化再造项目",
      "打通SMT、AOI与测试工位质量数据，建成质量数据平台，实现缺陷实时预警与追溯。",
      SUPPLEMENTING,
      {"completed_on": "2024-12-20", "e_report_rate_percent": "78", "key_process_percent": "64",
       "data_shared": "true", "digital_tools": "4"}, date(2024, 1, 2), 300_000),
    P("D2", "dianzi", "digital", "SMT产线质量管理数字化再造项目",
      "部署SPC统计过程控制与质量追溯系统，关键工序数据自动采集率达到95%。", ACCEPTED,
      {"completed_on": "2024-11-15", "e_report_rate_percent": "85", "key_process_percent": "70",
       "data_shared": "true", "digital_tools": "5"}, date(2024, 2, 20), 280_000),
    P("D3", "zhuangbei", "digital", "装备制造全过程质量追溯系统建设",
      "建设覆盖来料、装配、调试、交付的全过程质量追溯系统，客户投诉响应时间缩短60%。",
      SUBMITTED,
      {"completed_on": "2024-12-28", "e_report_rate_percent": "66", "key_process_percent": "55",
       "data_shared": "true", "digital_tools": "3"}, date(2024, 3, 1), 250_000),
    # --- incubation ---------------------------------------------------------------------------
    P("N1", "zhuangbei", "incubation", "卓越绩效模式导入与高质量发展孵化",
      "2021年导入卓越绩效评价准则，建立战略、顾客、过程与结果全面测量分析体系。", RECHECKED,
      {"has_core_ip": "true", "gbt19580_since": "2021-06-01",
       "received_quality_award_funding": "false"}, date(2021, 6, 1)),
    P("N2", "xinneng", "incubation", "新能源电池企业卓越绩效管理孵化项目",
      "2022年导入卓越绩效评价准则，以数据驱动的质量经营提升交付与客户满意。", RECHECKED,
      {"has_core_ip": "true", "gbt19580_since": "2022-03-15",
       "received_quality_award_funding": "false"}, date(2022, 3, 15)),
    P("N3", "zhubao", "incubation", "珠宝首饰企业卓越绩效导入项目",
      "2023年导入卓越绩效评价准则，建立珠宝首饰设计、生产与零售质量管理体系。", REFUSED,
      {"has_core_ip": "true", "gbt19580_since": "2023-05-01",
       "received_quality_award_funding": "false"}, date(2023, 5, 1)),
)

# Extra words for the officer's decisions.
SUPPLEMENT_REQUESTS = {
    "D1": [("material:evidence", "佐证材料未包含项目应用实景照片及上线前后业务统计数据对比，请补充。"),
           ("figure:digital_tools", "请核实质量数字化管理工具、系统数量，与成果报告第三部分保持一致。")],
    "G1": [("material:evidence", "佐证材料缺少港澳参会单位签到表，请补充。")],
}
REFUSALS = {
    "N3": ("not-eligible", ("经核实，申报单位已于2024年获得区级政府质量奖工作资助，不符合指南"
                           "三（七）“未获得各级政府质量奖工作资助”的申报条件。")),
}


@dataclass(frozen=True)
class Reader:
    """How an expert scores: above or below the panel's view, by a few points."""

    offset: float
    spread: float = 2.0
    done: tuple[str, ...] = field(default=())  # refs whose sheet is confirmed
    draft: tuple[str, ...] = field(default=())  # refs with a sheet saved half-way


# The brand panel, seat by seat (seat 1 is the chair, the ``expert`` demo account when the
# draw seats it; the showcase prints who it is): some sheets confirmed, some half-way, so the
# chair's ranking is partial.
BRAND_READERS = (
    Reader(0, done=("B1", "B2", "B3", "B4"), draft=("B5",)),
    Reader(2, done=("B1", "B2", "B3", "B4", "B5", "B6")),
    Reader(-3, done=("B1", "B2", "B3", "B4", "B5", "B6")),
    Reader(1, done=("B1", "B2", "B3", "B4", "B5"), draft=("B6",)),
    Reader(5, done=("B1", "B2", "B3")),
)
INNOVATION_READERS = tuple(Reader(o, done=("I1", "I2", "I3", "I4")) for o in (0, 3, -2, 1, -4))

COMMENTS = (
    "材料完整，数据翔实，{criterion}方面表现突出。",
    "{criterion}方面总体较好，部分量化指标的佐证可再加强。",
    "{criterion}方面有一定基础，建议进一步提炼可推广的经验。",
)
