// Mounts output widgets: every element with data-widget gets its widget's scripts and stylesheets (listed in
// data-assets, served from /assets/) loaded once, in order, and then window.cardtrailWidgets[<widget>](element)
// is called. Runs at page load and after every htmx swap, so a card that gains a chart by a swap draws it
// without the page having loaded chart code it did not need.
(function () {
  var widgets = (window.cardtrailWidgets = window.cardtrailWidgets || {});
  var loading = {};

  function load(url) {
    if (loading[url]) return loading[url];
    var css = /\.css$/.test(url);
    var present = document.querySelector(css ? 'link[href="' + url + '"]' : 'script[src="' + url + '"]');
    // Files the page head named have run by DOMContentLoaded (scripts there are deferred).
    if (present) return (loading[url] = Promise.resolve());
    loading[url] = new Promise(function (resolve, reject) {
      var el = document.createElement(css ? 'link' : 'script');
      if (css) {
        el.rel = 'stylesheet';
        el.href = url;
      } else {
        el.src = url;
        el.async = false;
      }
      el.onload = function () {
        resolve();
      };
      el.onerror = function () {
        reject(new Error('could not load ' + url));
      };
      document.head.appendChild(el);
    });
    return loading[url];
  }

  function mount(el) {
    if (el.hasAttribute('data-mounted')) return;
    el.setAttribute('data-mounted', '');
    var urls = (el.getAttribute('data-assets') || '').split(' ').filter(Boolean);
    urls
      .reduce(function (chain, url) {
        return chain.then(function () {
          return load(url);
        });
      }, Promise.resolve())
      .then(function () {
        var fn = widgets[el.getAttribute('data-widget')];
        if (fn) fn(el);
      })
      .catch(function (err) {
        var note = document.createElement('p');
        note.className = 'output-problem';
        note.setAttribute('role', 'alert');
        note.textContent = 'This output could not be drawn: ' + err.message + '.';
        el.appendChild(note);
      });
  }

  function scan() {
    document.querySelectorAll('[data-widget]').forEach(mount);
  }
  document.addEventListener('DOMContentLoaded', scan);
  document.addEventListener('htmx:after:settle', scan);
  document.addEventListener('htmx:after:swap', scan);
})();
