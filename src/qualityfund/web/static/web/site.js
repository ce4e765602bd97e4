/* The pages' few behaviours, from data attributes: the Content-Security-Policy allows no
   inline script or event-handler attribute. Listeners sit on the document, so content that
   htmx swaps in behaves the same. */
(function () {
  "use strict";

  // A form or button with data-confirm asks before it submits.
  document.addEventListener("submit", function (event) {
    var ask = event.target.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  // A select with data-switches shows, in its form, only the fieldsets whose data-choice is
  // its value (the others are hidden and disabled, so they are not posted).
  function switchGroups(select) {
    select.form.querySelectorAll("fieldset[data-choice]").forEach(function (group) {
      var mine = group.dataset.choice === select.value;
      group.hidden = !mine;
      group.disabled = !mine;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-switches]").forEach(switchGroups);
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("select[data-switches]")) switchGroups(field);
    // A select with data-autosubmit (the language switch) submits its form on change.
    if (field.matches("select[data-autosubmit]")) field.form.requestSubmit();
    // A file input with data-max-bytes refuses a file over the limit before any upload.
    if (field.matches("input[type=file][data-max-bytes]")) {
      var limit = Number(field.getAttribute("data-max-bytes"));
      var tooLarge = Array.prototype.some.call(field.files, function (file) {
        return file.size > limit;
      });
      field.setCustomValidity(tooLarge ? field.getAttribute("data-too-large") : "");
      if (tooLarge) field.reportValidity();
    }
    // A select whose options carry data-expertise ticks those expertise boxes.
    if (field.matches("select[data-expertise-defaults]")) {
      var option = field.selectedOptions[0];
      if (!option || !option.dataset.expertise) return;
      var wanted = option.dataset.expertise.split(",");
      field.form.querySelectorAll("input[name=expertise]").forEach(function (box) {
        box.checked = wanted.indexOf(box.value) >= 0;
      });
    }
  });
})();
