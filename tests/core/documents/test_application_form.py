import subprocess

from qualityfund.core.documents import render_application_form

from .conftest import OLD_PLEDGE_SHA, PLEDGE_SHA, REPORT_SHA, pdf_text


def test_the_form_records_what_was_submitted(submitted):
    pages = pdf_text(render_application_form(submitted))
    text = "".join(pages)
    org = submitted.organisation
    for expected in (
        "资助项目申请表", submitted.guide.title, submitted.spec.name,
        "ZLPP-2025-QI-SERVICE-000042", "2025-06-2010:15:30",
        org.name, org.credit_code, org.legal_representative, org.district, org.industry,
        org.address, org.contact_name, org.contact_phone, org.bank_account_name,
        submitted.project_name,
    ):
        assert "".join(expected.split()) in text, expected


def test_the_amount_is_in_yuan_wan_and_upper_case(submitted):
    text = "".join(pdf_text(render_application_form(submitted)))
    assert "300,000.00元（30.00万元）" in text
    assert "叁拾万元整" in text


def test_figures_are_labelled_with_units_and_booleans_in_chinese(submitted):
    text = "".join(pdf_text(render_application_form(submitted)))
    assert "是否为经认定的质量基础设施“一站式”服务平台是" in text
    assert "服务的中小企业数量120家" in text
    assert "服务对象平均劳动生产率提高幅度8.5%" in text
    assert "项目完成时间2024年11月30日" in text


def test_the_self_check_at_submission_is_printed(submitted):
    text = "".join(pdf_text(render_application_form(submitted)))
    assert "二（一）项目实施单位为成立运行一年以上的企业或其他组织符合" in text
    assert "待审核人员判断由审核人员核查" in text


def test_every_current_file_is_listed_with_its_sha256_and_the_form_as_generated(submitted):
    text = "".join(pdf_text(render_application_form(submitted)))
    assert REPORT_SHA in text
    assert PLEDGE_SHA in text
    assert OLD_PLEDGE_SHA not in text  # replaced before submission
    assert "项目成果报告（盖章版）.pdf" in text
    assert "2.2MB" in text
    assert "①资助项目申请表系统自动生成" in text
    assert "④能反映活动过程和成果的佐证性材料" in text or "未上传" in text


def test_every_page_carries_its_number_and_the_application_number(submitted):
    pages = pdf_text(render_application_form(submitted))
    for index, page in enumerate(pages, start=1):
        assert f"第{index}页共{len(pages)}页" in page
        assert "申报编号：ZLPP-2025-QI-SERVICE-000042" in page


def test_the_cjk_fonts_are_embedded(submitted, tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(render_application_form(submitted))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    cjk = [line for line in listing if "CJK" in line]
    assert any("Serif-CJK-SC" in line for line in cjk)
    assert any("Sans-CJK-SC" in line for line in cjk)
    assert all(line.split()[-5] == "yes" for line in listing)  # the "emb" column


def test_a_draft_prints_as_a_preview(submitted):
    submitted.submitted_at = None
    submitted.number = None
    text = "".join(pdf_text(render_application_form(submitted)))
    assert "未提交·仅供预览" in text


def test_submission_stores_a_form_listing_every_uploaded_file(make_application, applicant):
    from qualityfund.core.applications import services

    application = services.submit(make_application("qi-service", filled=True), by=applicant)
    with application.form_pdf.open("rb") as stored:
        text = "".join(pdf_text(stored.read()))
    assert application.number in text
    files = list(application.material_files.current())
    assert files
    for file in files:
        assert file.sha256 in text
