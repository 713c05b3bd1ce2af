// Says when Cardtrail is not answering, and gets going again by itself when it answers:
// - a request that cannot reach the server, or an event stream that drops, shows the banner "Cardtrail is not
//   answering — retrying" and starts asking the server every 2 seconds;
// - when it answers, the banner goes, and a job card (whose job the server may have marked interrupted while
//   it was away) reloads the trail;
// - while a request of a form runs, its button is marked busy and disabled, so a second click sends nothing
//   (for a plain form, until the next page comes);
// - an event stream the server answers with 404 (its session was deleted, in another tab say) is not asked for
//   again, and the page says the session no longer exists, with a link to the list.
(function () {
  var PING_MS = 2000;
  var down = false;
  var timer = null;

  function banner() {
    return document.getElementById('connection');
  }

  function setDown(isDown) {
    var el = banner();
    if (el) el.hidden = !isDown;
    if (down === isDown) return;
    down = isDown;
    document.documentElement.toggleAttribute('data-offline', isDown);
    if (isDown) schedulePing();
    else {
      clearTimeout(timer);
      timer = null;
      refreshJobCard();
    }
  }

  function schedulePing() {
    clearTimeout(timer);
    timer = setTimeout(ping, PING_MS);
  }

  function ping() {
    fetch('/assets/cardtrail.js?ping=' + Date.now(), { cache: 'no-store' }).then(
      function (response) {
        if (response.ok) setDown(false);
        else schedulePing();
      },
      function () {
        schedulePing();
      },
    );
  }

  function refreshJobCard() {
    var trail = document.getElementById('trail');
    if (!trail || !trail.querySelector('.card.job') || !window.htmx) return;
    window.htmx.ajax('GET', location.pathname, { target: '#trail', swap: 'outerHTML' });
  }

  function submitterOf(ctx) {
    var request = ctx && ctx.request;
    if (request && request.submitter) return request.submitter;
    var elt = ctx && ctx.sourceElement;
    var form = elt && (elt.matches('form') ? elt : elt.closest && elt.closest('form'));
    return form ? form.querySelector('button[type=submit], button:not([type])') : null;
  }

  document.addEventListener('htmx:before:request', function (event) {
    var ctx = event.detail && event.detail.ctx;
    var button = submitterOf(ctx);
    if (!button) return;
    ctx.cardtrailButton = button;
    ctx.cardtrailHadFocus = document.activeElement === button;
    button.setAttribute('aria-busy', 'true');
    // Disabled on the next turn, so the browser has already taken the button's value into the request.
    setTimeout(function () {
      if (button.getAttribute('aria-busy') === 'true') button.disabled = true;
    }, 0);
  });
  document.addEventListener('htmx:finally:request', function (event) {
    var ctx = event.detail && event.detail.ctx;
    var button = ctx && ctx.cardtrailButton;
    if (!button) return;
    button.removeAttribute('aria-busy');
    button.disabled = false;
    // A failed request leaves the page as it was: focus goes back to the button that was pressed.
    if (button.isConnected && ctx.cardtrailHadFocus && (document.activeElement === document.body || !document.activeElement)) button.focus();
  });
  document.addEventListener('htmx:after:request', function () {
    setDown(false);
  });
  document.addEventListener('htmx:error', function () {
    setDown(true);
  });
  document.addEventListener('htmx:sse:error', function (event) {
    if (event.detail && event.detail.status === 404) gone(event.target);
    else setDown(true);
  });

  // The stream's element is swapped for a copy without hx-sse:connect: htmx stops a stream whose element left
  // the page, and the copy keeps what it showed.
  function gone(streaming) {
    if (streaming && streaming.isConnected) {
      var copy = streaming.cloneNode(true);
      copy.removeAttribute('hx-sse:connect');
      streaming.replaceWith(copy);
    }
    if (document.getElementById('session-gone')) return;
    var note = document.createElement('p');
    note.id = 'session-gone';
    note.className = 'session-gone';
    note.setAttribute('role', 'alert');
    note.innerHTML = 'This session no longer exists: it was deleted, perhaps in another tab. Go to <a href="/">the list of sessions</a>.';
    var main = document.getElementById('main');
    if (main) main.prepend(note);
  }
  document.addEventListener('htmx:sse:after:connection', function () {
    setDown(false);
  });
  // A plain form (start, copy, archive) leaves the page: its button is busy until the next page comes.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches || form.matches('[hx-post]')) return;
    var button = event.submitter || form.querySelector('button[type=submit], button:not([type])');
    if (!button) return;
    button.setAttribute('aria-busy', 'true');
    setTimeout(function () {
      button.disabled = true;
    }, 0);
  });
  // Coming back to the page from the browser's history shows its buttons usable again.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('button[aria-busy=true]').forEach(function (button) {
      button.removeAttribute('aria-busy');
      button.disabled = false;
    });
  });
  // Leaving the page cuts its streams; closing them first keeps that from reading as a failure.
  function closeStreams() {
    document.querySelectorAll('[hx-sse\\:connect]').forEach(function (el) {
      var sse = el._htmx && el._htmx.sse;
      if (sse && sse.abortController) sse.abortController.abort();
    });
  }
  window.addEventListener('beforeunload', closeStreams);
  window.addEventListener('pagehide', closeStreams);
  document.addEventListener('DOMContentLoaded', function () {
    if (!window.htmx) return;
    // Reconnect streams quickly once the server is back, instead of waiting up to a minute.
    window.htmx.config.sse = Object.assign({}, window.htmx.config.sse, { reconnectDelay: 500, reconnectMaxDelay: 3000 });
  });
})();
