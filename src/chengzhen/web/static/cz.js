// chengzhen web view: the little the pages need beyond HTML (copying a citation).
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
})();
