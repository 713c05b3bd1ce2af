// The link-graph view: draws graph.json ({ nodes: [{ id, url, depth, status, folder, pagerank, inlinks, outlinks }],
// links: [{ source, target }] }) with force-graph on a canvas. Pan and zoom with the mouse or touch; search a URL;
// colour by depth, status or folder; node size by PageRank; click a node (or pick a top page, by keyboard too) to
// list its inlinks and outlinks. Mounted by the widget loader (window.cardtrailWidgets.graph) or directly with
// window.cardtrailGraphView(element, data). No build step: force-graph's UMD file defines window.ForceGraph.
(function () {
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  var DEPTHS = ['#08306b', '#08519c', '#2171b5', '#4292c6', '#6baed6', '#9ecae1', '#c6dbef'];

  function statusColour(status) {
    var code = Number(status);
    if (code >= 200 && code < 300) return '#2ca02c';
    if (code >= 300 && code < 400) return '#1f77b4';
    if (code >= 400 && code < 500) return '#ff7f0e';
    if (code >= 500 || String(status).indexOf('failed') === 0) return '#d62728';
    return '#9a9a9a';
  }

  /** What the colours mean, as [colour, words] pairs. */
  function legendOf(mode, nodes) {
    if (mode === 'status') return [['#2ca02c', '2xx'], ['#1f77b4', '3xx redirect'], ['#ff7f0e', '4xx'], ['#d62728', '5xx or no answer'], ['#9a9a9a', 'not fetched']];
    if (mode === 'folder') {
      var colourOf = colourer('folder', nodes);
      var seen = [];
      nodes.forEach(function (n) { if (seen.length < PALETTE.length && !seen.some(function (s) { return s[1] === n.folder; })) seen.push([colourOf(n), n.folder]); });
      return seen;
    }
    return DEPTHS.map(function (c, i) { return [c, i === DEPTHS.length - 1 ? i + '+' : String(i)]; }).concat([['#9a9a9a', 'unreachable']]);
  }

  function colourer(mode, nodes) {
    if (mode === 'status') return function (n) { return statusColour(n.status); };
    if (mode === 'folder') {
      var folders = {};
      nodes.forEach(function (n) { folders[n.folder] = (folders[n.folder] || 0) + 1; });
      var ranked = Object.keys(folders).sort(function (a, b) { return folders[b] - folders[a]; });
      var index = {};
      ranked.forEach(function (f, i) { index[f] = i < PALETTE.length - 1 ? PALETTE[i] : '#7f7f7f'; });
      return function (n) { return index[n.folder]; };
    }
    return function (n) { return n.depth === null ? '#9a9a9a' : DEPTHS[Math.min(n.depth, DEPTHS.length - 1)]; };
  }

  // The view's few styles, once per page (the widget has no stylesheet of its own).
  var STYLE =
    '.graph-controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}' +
    '.graph-controls label{margin:0;flex:1 1 12rem}.graph-controls input,.graph-controls select{margin:0}' +
    '.graph-controls button{width:auto;margin:0}' +
    // A grid track sized by its widest item (a wide table) would widen the graph past its card.
    '.outputs:has(.output-graph){grid-template-columns:minmax(0,1fr)}' +
    '.output-graph,.graph-widget,[data-graph-url]{min-width:0;max-width:100%}.graph-canvas canvas{display:block}' +
    '.graph-canvas{width:100%;overflow:hidden;border:1px solid var(--pico-muted-border-color,#ccc);border-radius:.25rem;touch-action:none}' +
    '.graph-note{margin:.4rem 0;font-size:.9rem}.graph-details ul,.graph-top ol{max-height:14rem;overflow:auto;font-size:.9rem}' +
    '.graph-legend{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.85rem;margin:0 0 .4rem;padding:0;list-style:none}' +
    '.graph-legend li{list-style:none;margin:0}.graph-legend span{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;vertical-align:middle}' +
    '.graph-details h3{font-size:1rem;margin:.5rem 0 .2rem}' +
    'button.link{background:none;border:none;padding:0;margin:0;color:var(--pico-primary,#0172ad);text-decoration:underline;width:auto;text-align:left;word-break:break-all}';
  function addStyle() {
    if (document.getElementById('graph-view-style')) return;
    var style = document.createElement('style');
    style.id = 'graph-view-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function view(root, data) {
    addStyle();
    root.textContent = '';
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; n.ins = []; n.outs = []; });
    data.links.forEach(function (l) {
      var s = byId[l.source], t = byId[l.target];
      if (s && t) { s.outs.push(t); t.ins.push(s); }
    });
    var mean = 1 / Math.max(1, data.nodes.length);

    var controls = el('div', { class: 'graph-controls', role: 'group', 'aria-label': 'Graph controls' });
    var searchLabel = el('label', {}, 'Find a URL ');
    var search = el('input', { type: 'search', placeholder: 'part of a URL', 'data-graph-search': '' });
    searchLabel.appendChild(search);
    var colourLabel = el('label', {}, 'Colour by ');
    var colour = el('select', { 'data-graph-colour': '' });
    [['depth', 'depth'], ['status', 'status'], ['folder', 'folder']].forEach(function (o) { colour.appendChild(el('option', { value: o[0] }, o[1])); });
    colourLabel.appendChild(colour);
    var fit = el('button', { type: 'button', class: 'secondary' }, 'Fit');
    controls.appendChild(searchLabel);
    controls.appendChild(colourLabel);
    controls.appendChild(fit);
    root.appendChild(controls);

    var note = el('p', { class: 'graph-note', 'aria-live': 'polite' });
    var shown = data.nodes.length + ' pages, ' + data.links.length + ' links';
    note.textContent = data.reduced
      ? 'Showing the ' + data.reduced.shown + ' most important of ' + data.reduced.total + ' pages (top PageRank and their neighbours), ' + data.links.length + ' links.'
      : shown + '.';
    root.appendChild(note);
    var legend = el('ul', { class: 'graph-legend', 'aria-label': 'Colours' });
    root.appendChild(legend);
    function drawLegend(mode) {
      legend.textContent = '';
      legendOf(mode, data.nodes).forEach(function (pair) {
        var li = el('li');
        var dot = el('span', { 'aria-hidden': 'true' });
        dot.style.background = pair[0];
        li.appendChild(dot);
        li.appendChild(document.createTextNode((mode === 'depth' ? 'depth ' : '') + pair[1]));
        legend.appendChild(li);
      });
    }
    drawLegend('depth');

    var canvasBox = el('div', { class: 'graph-canvas', role: 'img', 'aria-label': 'Link graph of ' + shown + '; the list of top pages below gives the same details.' });
    root.appendChild(canvasBox);
    var details = el('div', { class: 'graph-details', 'aria-live': 'polite' });
    root.appendChild(details);

    var top = data.nodes.slice().sort(function (a, b) { return b.pagerank - a.pagerank; }).slice(0, 10);
    var topBox = el('details', { class: 'graph-top' });
    topBox.appendChild(el('summary', {}, 'Top pages by PageRank'));
    var topList = el('ol');
    top.forEach(function (n) {
      var li = el('li');
      var b = el('button', { type: 'button', class: 'link' }, n.url);
      b.addEventListener('click', function () { select(n, true); });
      li.appendChild(b);
      topList.appendChild(li);
    });
    topBox.appendChild(topList);
    root.appendChild(topBox);

    var selected = null;
    var colourOf = colourer('depth', data.nodes);
    var graph = new ForceGraph(canvasBox)
      .graphData({ nodes: data.nodes, links: data.links.map(function (l) { return { source: l.source, target: l.target }; }) })
      .nodeId('id')
      .nodeLabel(function (n) { return n.url + ' (' + n.status + ', depth ' + (n.depth === null ? '–' : n.depth) + ')'; })
      .nodeVal(function (n) { return 1 + Math.min(40, (n.pagerank / mean) * 1.5); })
      .nodeColor(function (n) { return n === selected ? '#000000' : colourOf(n); })
      .linkColor(function (l) { return selected && (l.source === selected || l.target === selected) ? 'rgba(0,0,0,0.8)' : 'rgba(120,120,120,0.25)'; })
      .linkDirectionalArrowLength(data.links.length > 5000 ? 0 : 3)
      .linkDirectionalArrowRelPos(1)
      // Laid out mostly before the first frame for small graphs; big ones settle on screen, briefly.
      .warmupTicks(data.nodes.length > 500 ? 10 : 80)
      .cooldownTicks(data.nodes.length > 2000 ? 40 : 60)
      .onNodeClick(function (n) { select(n, false); })
      .onBackgroundClick(function () { select(null, false); })
      .onRenderFramePost(function () { root.setAttribute('data-drawn', ''); });
    // Sized from the view's own width (not the canvas box's, which the canvas itself would widen).
    var lastWidth = 0;
    var sized = function () {
      var width = Math.floor(root.clientWidth) || 600;
      if (width === lastWidth) return;
      lastWidth = width;
      graph.width(width - 2).height(Math.max(280, Math.min(640, Math.round(window.innerHeight * 0.6))));
    };
    sized();
    if (window.ResizeObserver) new ResizeObserver(sized).observe(root);
    graph.onEngineStop(function () { if (!root.hasAttribute('data-fitted')) { root.setAttribute('data-fitted', ''); graph.zoomToFit(300, 20); } });

    function linkList(title, list) {
      var box = el('div');
      box.appendChild(el('h3', {}, title + ' (' + list.length + ')'));
      var ul = el('ul');
      list.slice(0, 200).forEach(function (n) {
        var li = el('li');
        var b = el('button', { type: 'button', class: 'link' }, n.url);
        b.addEventListener('click', function () { select(n, true); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (list.length > 200) ul.appendChild(el('li', {}, '… and ' + (list.length - 200) + ' more'));
      box.appendChild(ul);
      return box;
    }

    function select(n, centre) {
      selected = n;
      details.textContent = '';
      root.toggleAttribute('data-selected', Boolean(n));
      if (n) {
        var head = el('p');
        var a = el('a', { href: n.url, target: '_blank', rel: 'noopener noreferrer' }, n.url);
        head.appendChild(a);
        head.appendChild(document.createTextNode(' · status ' + n.status + ' · depth ' + (n.depth === null ? 'unreachable' : n.depth) + ' · PageRank ' + n.pagerank.toFixed(4) + ' · ' + n.inlinks + ' inlinks, ' + n.outlinks + ' outlinks'));
        details.appendChild(head);
        details.appendChild(linkList('Linked from', n.ins));
        details.appendChild(linkList('Links to', n.outs));
        if (centre && typeof n.x === 'number') { graph.centerAt(n.x, n.y, 400); graph.zoom(4, 400); }
      }
      graph.nodeColor(graph.nodeColor());
      graph.linkColor(graph.linkColor());
    }

    search.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      var q = search.value.trim().toLowerCase();
      if (!q) return;
      var hit = data.nodes.find(function (n) { return n.url.toLowerCase() === q; }) || data.nodes.find(function (n) { return n.url.toLowerCase().indexOf(q) >= 0; });
      if (hit) select(hit, true);
      else note.textContent = 'No page matches "' + search.value + '".';
    });
    colour.addEventListener('change', function () {
      colourOf = colourer(colour.value, data.nodes);
      drawLegend(colour.value);
      graph.nodeColor(graph.nodeColor());
    });
    fit.addEventListener('click', function () { graph.zoomToFit(300, 20); });
    root.cardtrailGraph = { graph: graph, select: select, data: data };
    return graph;
  }

  function problem(root, text) {
    var p = el('p', { class: 'output-problem', role: 'alert' }, text);
    root.appendChild(p);
  }

  /** Draws the graph whose JSON is at the element's data-graph-url. */
  function mount(root) {
    var box = root.querySelector('[data-graph-url]') || root;
    var url = box.getAttribute('data-graph-url');
    if (typeof ForceGraph === 'undefined') return problem(box, 'The graph library did not load.');
    fetch(url, { credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('the graph file answered ' + res.status);
        return res.json();
      })
      .then(function (data) { view(box, data); })
      .catch(function (err) { problem(box, 'The graph cannot be drawn: ' + err.message + '.'); });
  }

  window.cardtrailGraphView = view;
  (window.cardtrailWidgets = window.cardtrailWidgets || {}).graph = mount;
})();
