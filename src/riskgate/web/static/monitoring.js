/* Monitoring charts (console/monitoring): plan progress by target and a monitoring point's weekly
 * series. The data is in a data-chart attribute (the Content-Security-Policy allows no inline
 * script); ECharts comes from /static/vendor. */
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts) { return; }
    var data;
    try { data = JSON.parse(element.dataset.chart); } catch (error) { return; }
    element.style.height = "320px";
    var chart = window.echarts.init(element);
    chart.setOption({
      title: { text: data.title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 48 },
      xAxis: { type: "category", data: data.categories },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (item) {
        return { name: item.name, type: "bar", data: item.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-monitoring-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
