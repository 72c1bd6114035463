// Dashboard charts (ECharts from the webjar): intake per channel per hour. The data comes as JSON
// from /console/dashboard/intake; the charts reload with the figures (hub.console.refresh-seconds).
(function () {
  function draw(el) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    fetch(el.dataset.src, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (d) {
      chart.setOption({
        // no animation: the charts are redrawn on every refresh, and screenshots show the whole line
        animation: false,
        tooltip: {trigger: 'axis'},
        legend: {top: 0},
        grid: {left: 40, right: 20, top: 30, bottom: 40},
        xAxis: {type: 'category', data: d.hours.map(function (h) { return h.substring(5, 13); })},
        yAxis: {type: 'value', minInterval: 1},
        series: d.series.map(function (s) { return {name: s.name, type: 'line', smooth: true, data: s.data}; })
      }, true);
      el.dataset.drawn = 'true';
    });
  }
  function all() {
    document.querySelectorAll('.chart[data-src]').forEach(draw);
  }
  document.addEventListener('DOMContentLoaded', function () {
    all();
    var week = document.getElementById('chart-week');
    var every = week && parseInt(week.dataset.refresh || '15', 10);
    if (every > 0) {
      setInterval(all, every * 1000);
    }
  });
})();
