// Panel pages (kept out of the templates so that the Content-Security-Policy needs no
// inline script; confirmations are site.js's data-confirm).

// The score sheet: as a criterion's score is typed, mark the band it falls in and its
// descriptor (the server shows the same after a reload).
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!input.classList || !input.classList.contains("score-input")) {
    return;
  }
  var card = input.closest(".sheet-criterion");
  var score = parseFloat(input.value);
  var label = "";
  card.querySelectorAll("tr[data-low]").forEach(function (row) {
    var inside = !isNaN(score) && score >= parseFloat(row.dataset.low) &&
      score <= parseFloat(row.dataset.high);
    row.classList.toggle("band-current", inside);
    if (inside) {
      label = row.dataset.label;
    }
  });
  var badge = card.querySelector("[id^='band-']");
  if (badge) {
    badge.hidden = !label;
    badge.querySelector(".band-badge").textContent = label;
  }
});
