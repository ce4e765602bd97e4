"""The applicant's form widgets, as the browser receives them."""

from datetime import date

from django.utils import translation

from qualityfund.web.forms import ApplicationForm, DateInput


def test_a_date_picker_gets_an_iso_value_in_every_language():
    # A date input shows nothing for any other format, and autosave would then clear it.
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert 'value="2024-02-01"' in DateInput().render("started_on", date(2024, 2, 1))


def test_a_percent_figure_says_it_is_a_percentage(make_application):
    form = ApplicationForm(application=make_application("qi-service"))
    field = form.fields["figure_labour_productivity_gain_percent"]
    assert field.label == "服务对象平均劳动生产率提高幅度（%）"
    assert "8.5" in field.widget.attrs["placeholder"]
