// chengzhen web view: the little the pages need beyond HTML — copying a
// citation, and on a phone the search's facets and a document's outline
// folded (they are open in the HTML, so nothing is hidden without script).
(function () {
  "use strict";
  function copied(button, text) {
    var note = button.parentNode.querySelector(".copied");
    if (note) { note.textContent = text; }
  }
  function selectText(area) {
    area.focus();
    area.select();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) { return; }
    var area = document.getElementById(button.getAttribute("data-copy"));
    if (!area) { return; }
    var text = area.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        copied(button, "已复制");
      }, function () {
        selectText(area);
        copied(button, "已选中，请按 Ctrl+C 复制");
      });
    } else {
      selectText(area);
      copied(button, "已选中，请按 Ctrl+C 复制");
    }
  });
  function fold() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 800px)").matches) { return; }
    var folds = document.querySelectorAll("details.facets-fold, details.toc-fold");
    for (var i = 0; i < folds.length; i++) { folds[i].open = false; }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fold);
  } else {
    fold();
  }
})();
