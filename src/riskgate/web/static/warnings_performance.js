/* Warning performance chart (console/warnings/performance): warnings issued per organisation,
 * stacked by level. The page puts the data in a data-chart attribute (the Content-Security-Policy
 * allows no inline script); ECharts comes from /static/vendor. */
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts) { return; }
    var data;
    try { data = JSON.parse(element.dataset.chart); } catch (error) { return; }
    element.style.height = Math.max(240, 60 + 28 * data.organisations.length) + "px";
    var chart = window.echarts.init(element);
    chart.setOption({
      title: { text: data.title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 16, right: 24, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.organisations },
      series: data.series.map(function (item) {
        return { name: item.name, type: "bar", stack: "level", data: item.data,
                 itemStyle: { color: item.colour } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-warning-performance-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
