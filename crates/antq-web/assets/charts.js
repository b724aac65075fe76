// antq — draws each chart from the table beside it (the table is the data and its
// accessible alternative); without JavaScript the tables alone are shown.
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var colours = ["#1f5f8b", "#3c9d5d", "#e0a526", "#c8553d", "#7a5195", "#4aa3b5"];
  document.querySelectorAll("figure.chart").forEach(function (fig) {
    var table = fig.querySelector("table.chart-data");
    var canvas = fig.querySelector("canvas");
    if (!table || !canvas) { return; }
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th")).slice(1).map(function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr")).filter(function (tr) { return tr.querySelector("td[data-value]"); });
    if (!rows.length) { fig.querySelector(".chart-canvas").hidden = true; return; }
    var percent = table.getAttribute("data-percent") === "true";
    var labels = rows.map(function (tr) { return tr.querySelector("th").textContent.trim(); });
    var datasets = heads.map(function (h, i) {
      return {
        label: h,
        data: rows.map(function (tr) {
          var v = Number(tr.querySelectorAll("td")[i].getAttribute("data-value"));
          return percent ? v / 1000 : v;
        }),
        backgroundColor: colours[i % colours.length],
        borderColor: colours[i % colours.length],
      };
    });
    var kind = table.getAttribute("data-kind");
    var stacked = kind === "stacked";
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
      },
    });
    fig.classList.add("drawn");
  });
})();
