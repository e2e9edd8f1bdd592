/* The accountability dashboard: draws each chart from the page's JSON (json_script "stats-data").
 * Every chart also has its table on the page (the same numbers), so nothing depends on this script. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("stats-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    data.charts.forEach(function (chart) {
      var element = document.querySelector('[data-chart="' + chart.key + '"]');
      if (!element || chart.series.length === 0) { return; }
      var instance = echarts.init(element, null, { renderer: "canvas" });
      instance.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", top: 0 },
        grid: { left: 40, right: 16, top: 40, bottom: 30 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: chart.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "all", data: s.data };
        })
      });
      charts.push(instance);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
