// The table widget: Tabulator over the server's rows route, a page at a time (remote pagination and sorting),
// so a 100,000-row table keeps only one page of rows in the DOM.
(function () {
  var pagers = 0;

  // Tabulator's grid holds its pager and a focusable, role-less scroller as well as its rows (axe:
  // aria-required-children). The pager goes beside the grid (as its footerElement); the scroller, which the
  // keyboard needs to scroll wide rows, becomes the rowgroup of the body rows, in place of the table inside it.
  function gridOfRows(grid, name) {
    grid.removeAttribute('aria-owns');
    grid.setAttribute('aria-label', name);
    grid.querySelector('.tabulator-tableholder').setAttribute('role', 'rowgroup');
    grid.querySelector('.tabulator-table').setAttribute('role', 'none');
  }

  // What an empty page shows: a row of one cell across the columns, since the rowgroup it sits in holds rows only.
  function noRows(columns) {
    return function () {
      var row = document.createElement('div');
      row.setAttribute('role', 'row');
      var cell = document.createElement('div');
      cell.className = 'tabulator-placeholder-contents';
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colspan', String(columns));
      cell.textContent = 'No rows';
      row.appendChild(cell);
      return row;
    };
  }

  // Column headers sort with the keyboard too: focusable, and Enter or Space acts as a click.
  function sortByKeyboard(grid) {
    grid.querySelectorAll('.tabulator-col').forEach(function (col) {
      col.tabIndex = 0;
      col.addEventListener('keydown', function (event) {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        (col.querySelector('.tabulator-col-title') || col).click();
      });
    });
  }

  (window.cardtrailWidgets = window.cardtrailWidgets || {}).table = function (output) {
    var figure = output.querySelector('.table-widget');
    var mount = figure && figure.querySelector('.table-mount');
    if (!mount || typeof Tabulator === 'undefined') return;
    var name = figure.querySelector('figcaption strong').textContent;
    var columns = JSON.parse(figure.getAttribute('data-columns'));
    var grid = document.createElement('div');
    var pager = document.createElement('nav');
    pager.className = 'table-pager';
    pager.id = 'table-pager-' + ++pagers;
    pager.setAttribute('aria-label', 'Pages of ' + name);
    mount.replaceChildren(grid, pager);
    var table = new Tabulator(grid, {
      columns: columns.map(function (c) {
        return { title: c.title, field: c.field, headerSort: true };
      }),
      layout: 'fitDataFill',
      pagination: true,
      paginationMode: 'remote',
      sortMode: 'remote',
      paginationSize: Number(figure.getAttribute('data-page-size')) || 20,
      paginationCounter: 'rows',
      footerElement: '#' + pager.id,
      ajaxURL: figure.getAttribute('data-rows'),
      placeholder: noRows(columns.length),
    });
    table.on('tableBuilt', function () {
      gridOfRows(grid, name);
      sortByKeyboard(grid);
      figure.setAttribute('data-ready', '');
    });
  };
})();
