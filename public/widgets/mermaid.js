// The mermaid widget: mermaid (loaded only on pages that show a diagram) renders the source text to SVG, with
// securityLevel strict (no scripts, no HTML labels, no clicks).
(function () {
  var count = 0;
  var ready = false;
  (window.cardtrailWidgets = window.cardtrailWidgets || {}).mermaid = function (output) {
    var source = output.querySelector('.mermaid-source');
    var target = output.querySelector('.mermaid-target');
    if (!source || !target || typeof mermaid === 'undefined') return;
    if (!ready) {
      var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
      ready = true;
    }
    mermaid
      .render('cardtrail-mermaid-' + ++count, source.textContent)
      .then(function (result) {
        target.innerHTML = result.svg;
        target.setAttribute('data-rendered', '');
      })
      .catch(function (err) {
        target.textContent = 'The diagram could not be drawn: ' + (err && err.message ? err.message : err);
        target.setAttribute('role', 'alert');
      });
  };
})();
