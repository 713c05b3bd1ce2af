// The chart widget: Chart.js (its UMD build, from node_modules) draws the configuration the server computed.
(window.cardtrailWidgets = window.cardtrailWidgets || {}).chart = function (output) {
  var canvas = output.querySelector('canvas[data-chart]');
  if (!canvas || typeof Chart === 'undefined') return;
  new Chart(canvas, JSON.parse(canvas.getAttribute('data-chart')));
  canvas.setAttribute('data-drawn', '');
};
