// stance report: open a claim's document with its evidence highlighted. Text only ever
// enters the page through textContent; the documents were escaped when the page was made.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var reader = document.getElementById("reader");
  var caption = reader.querySelector(".caption");

  function showCaption(id, claim) {
    caption.textContent = "";
    var label = document.createElement("strong");
    label.textContent = "#" + id + " " + (claim.speaker || "unknown speaker");
    caption.appendChild(label);
    if (claim.stance) {
      caption.appendChild(document.createTextNode(" · " + claim.stance));
    }
    caption.appendChild(document.createTextNode(" — " + (claim.content || claim.quote)));
    var where = document.createElement("span");
    where.className = "where";
    where.textContent = " (" + claim.where + ")";
    caption.appendChild(where);
    if (claim.card) {
      var link = document.createElement("a");
      link.href = "#claim-" + claim.card;
      link.textContent = "show card";
      link.addEventListener("click", function () { reader.close(); });
      caption.appendChild(document.createTextNode(" "));
      caption.appendChild(link);
    }
  }

  function openClaim(id) {
    var claim = data.claims[id];
    if (!claim) { return; }
    var article = null;
    reader.querySelectorAll("article.document").forEach(function (doc) {
      doc.hidden = doc.dataset.document !== claim.document;
      if (!doc.hidden) { article = doc; }
    });
    if (!article) { return; }
    var first = null;
    article.querySelectorAll("mark.evidence").forEach(function (mark) {
      var mine = mark.dataset.claims.split(" ").indexOf(String(id)) >= 0;
      mark.classList.toggle("current", mine);
      mark.classList.toggle("faint", !mine);
      if (mine && !first) { first = mark; }
    });
    showCaption(id, claim);
    if (!reader.open) { reader.showModal(); }
    if (first) { first.scrollIntoView({ block: "center" }); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (link && !link.classList.contains("open-doc")) { return; }  // other links navigate
    var mark = event.target.closest("mark.evidence");
    if (mark) {  // another claim of the open document: make it the current one
      openClaim(Number(mark.dataset.claims.split(" ")[0]));
      return;
    }
    var card = event.target.closest("[data-claim]");
    if (!card || String(window.getSelection()).length > 0) { return; }  // let people select text
    event.preventDefault();
    openClaim(Number(card.dataset.claim));
  });

  reader.querySelector("button.close").addEventListener("click", function () { reader.close(); });
  reader.addEventListener("click", function (event) {
    if (event.target === reader) { reader.close(); }  // a click on the backdrop
  });
})();
