// The session's side pane as two tabs, Help and Activity (without this script both panels simply show):
// - the tabs follow the ARIA tab pattern (Tab reaches the chosen tab, arrow keys, Home and End move between
//   them, Enter or Space chooses); the choice is remembered for the tab's lifetime;
// - Help shows the help of the card that is open now, also after the trail is swapped;
// - while Help is shown, the Activity tab counts the entries that arrived since it was last looked at (a job's
//   lines are not counted);
// - the feed keeps its newest items (data-keep) and the newest lines of each job (data-keep-milestones).
(function () {
  var KEY = 'cardtrail-pane';
  var unseen = 0;

  function tabs() {
    return Array.prototype.slice.call(document.querySelectorAll('.pane-tabs [role=tab]'));
  }

  function select(tab, focus) {
    tabs().forEach(function (t) {
      var chosen = t === tab;
      t.setAttribute('aria-selected', chosen ? 'true' : 'false');
      t.tabIndex = chosen ? 0 : -1;
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) panel.hidden = !chosen;
    });
    if (tab.id === 'tab-activity') {
      unseen = 0;
      label();
    }
    try {
      sessionStorage.setItem(KEY, tab.id);
    } catch (e) {}
    if (focus) tab.focus();
  }

  function label() {
    var tab = document.getElementById('tab-activity');
    if (tab) tab.textContent = unseen ? 'Activity (' + unseen + ' new)' : 'Activity';
  }

  function followOpenStep() {
    var current = document.querySelector('#trail [data-current]');
    var step = current ? current.getAttribute('data-step') : null;
    document.querySelectorAll('[data-help-step]').forEach(function (section) {
      section.hidden = section.getAttribute('data-help-step') !== step;
    });
  }

  function setUp() {
    var list = document.querySelector('.pane-tabs');
    if (!list) return;
    list.hidden = false;
    document.querySelectorAll('.pane-heading').forEach(function (h) {
      h.classList.add('visually-hidden');
    });
    // As tabs, each panel is named by its tab.
    tabs().forEach(function (tab) {
      var panel = document.getElementById(tab.getAttribute('aria-controls'));
      if (!panel) return;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
    });
    var saved = null;
    try {
      saved = sessionStorage.getItem(KEY);
    } catch (e) {}
    select(document.getElementById(saved) || tabs()[0], false);
    list.addEventListener('click', function (event) {
      var tab = event.target.closest('[role=tab]');
      if (tab) select(tab, true);
    });
    list.addEventListener('keydown', function (event) {
      var all = tabs();
      var at = all.indexOf(document.activeElement);
      if (at < 0) return;
      var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      select(all[(to + all.length) % all.length], true);
    });
    followOpenStep();
  }

  function trim(feed) {
    var perJob = {};
    var keepLines = Number(feed.getAttribute('data-keep-milestones')) || Infinity;
    feed.querySelectorAll('li[data-milestone]').forEach(function (li) {
      var job = li.getAttribute('data-milestone');
      perJob[job] = (perJob[job] || 0) + 1;
      if (perJob[job] > keepLines) li.remove();
    });
    var keep = Number(feed.getAttribute('data-keep')) || Infinity;
    var items = feed.children;
    while (items.length > keep) feed.removeChild(feed.lastElementChild);
  }

  document.addEventListener('DOMContentLoaded', setUp);
  document.addEventListener('htmx:after:swap', function (event) {
    var target = event.detail && event.detail.ctx && event.detail.ctx.target;
    if (target && target.id === 'activity-feed') {
      trim(target);
      var panel = document.getElementById('pane-activity');
      var first = target.firstElementChild;
      if (panel && panel.hidden && !(first && first.hasAttribute('data-milestone'))) {
        unseen++;
        label();
      }
      return;
    }
    followOpenStep();
  });
})();
