/* Channel-health charts (console/channels). The page puts the data in a data-chart attribute
 * (the Content-Security-Policy allows no inline script); ECharts comes from /static/vendor. */
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts) { return; }
    var data;
    try { data = JSON.parse(element.dataset.chart); } catch (error) { return; }
    var kind = element.dataset.channelChart;  // "weekly" or "daily"
    element.style.height = "320px";
    var chart = window.echarts.init(element);
    var axis = kind === "weekly" ? data.weeks : data.days;
    chart.setOption({
      title: { text: data.labels[kind], textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 48 },
      xAxis: { type: "category", data: axis },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (item) {
        return kind === "weekly"
          ? { name: item.name, type: "bar", stack: "records", data: item.weekly }
          : { name: item.name, type: "line", showSymbol: false, data: item.daily };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-channel-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
