/* A signal's series with its upper bound (console/signals). The page puts the data in a
 * data-chart attribute (the Content-Security-Policy allows no inline script); ECharts comes
 * from /static/vendor. Periods where the algorithm could not evaluate have no bound (a gap). */
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts) { return; }
    var data;
    try { data = JSON.parse(element.dataset.chart); } catch (error) { return; }
    element.style.height = "340px";
    var chart = window.echarts.init(element);
    var last = data.periods.length - 1;
    chart.setOption({
      title: { text: data.labels.title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 48 },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.counts, type: "bar", data: data.counts.map(function (value, index) {
            var over = data.upper[index] !== null && value > data.upper[index];
            return { value: value, itemStyle: over || index === last ? { color: "#c0392b" } : {} };
          }) },
        { name: data.labels.upper, type: "line", step: "middle", connectNulls: false,
          showSymbol: false, lineStyle: { type: "dashed" }, data: data.upper }
      ]
    });
    element.dataset.rendered = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-signal-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
