// The KPI page's charts, from the data the page embeds with json_script (#kpi-data).
(function () {
  var k = JSON.parse(document.getElementById('kpi-data').textContent);
  function chart(id, option) { var c = echarts.init(document.getElementById(id), null, {renderer: 'svg'}); c.setOption(option); window.addEventListener('resize', function () { c.resize(); }); }
  chart('chart-hour', {tooltip: {trigger: 'axis'}, legend: {data: ['平均', 'P90']},
    xAxis: {type: 'category', data: k.wait_by_hour.map(function (r) { return r.hour + ':00'; })}, yAxis: {type: 'value'},
    series: [{name: '平均', type: 'bar', data: k.wait_by_hour.map(function (r) { return r.mean; })},
             {name: 'P90', type: 'line', data: k.wait_by_hour.map(function (r) { return r.p90; })}]});
  chart('chart-domain', {tooltip: {trigger: 'axis'}, xAxis: {type: 'category', data: k.wait_by_domain.map(function (r) { return r.domain; })},
    yAxis: {type: 'value'}, series: [{name: '平均', type: 'bar', data: k.wait_by_domain.map(function (r) { return r.mean; })},
                                     {name: 'P90', type: 'bar', data: k.wait_by_domain.map(function (r) { return r.p90; })}]});
  chart('chart-windows', {tooltip: {}, series: [{type: 'pie', radius: '65%', data: Object.keys(k.windows_by_type).map(function (n) { return {name: n, value: k.windows_by_type[n]}; })}]});
  chart('chart-depts', {tooltip: {trigger: 'axis'}, legend: {data: ['办结', '超期率']},
    xAxis: {type: 'category', data: k.departments.map(function (d) { return d.department; }), axisLabel: {rotate: 30}},
    yAxis: [{type: 'value'}, {type: 'value', max: 1}],
    series: [{name: '办结', type: 'bar', data: k.departments.map(function (d) { return d.decided; })},
             {name: '超期率', type: 'line', yAxisIndex: 1, data: k.departments.map(function (d) { return d.overdue_rate; })}]});
  document.body.setAttribute('data-charts', 'ready');
})();
