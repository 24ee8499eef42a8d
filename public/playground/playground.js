// The datadragon playground: GraphiQL (from the app's own files, no CDN) on this server's
// GraphQL endpoint, with the example operations as tabs. Configured by the JSON in
// <script id="playground-config">, which the server writes (src/server/playground.ts).
//
// It fills in the ids the example tabs need, so that a newcomer never copies one by hand:
// after a seedDatabase, the SeedJob tab holds the new job's id, after a crunchSpending the
// CrunchJob tab; when customer_spending has a customer (at load, and once a crunch job is seen
// SUCCEEDED), the OneCustomer tab holds that id.
/* global React, ReactDOM, GraphiQL */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  var graphqlFetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var first = config.tabs[0] || {};

  // --- what the helper below is told about ------------------------------------------------
  var listeners = [];
  function tell(event) {
    listeners.forEach(function (listener) {
      listener(event);
    });
  }

  function findCustomerId() {
    return fetch(config.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ customerSpendings(first: 1, sort: { field: MONTHLY_AVG_EXPENSE, direction: DESC }) { edges { node { customerId } } } }',
      }),
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        var edge = body && body.data && body.data.customerSpendings.edges[0];
        if (edge) tell({ kind: 'customer', id: edge.node.customerId });
      })
      .catch(function () {
        // No customer to offer: the tab keeps its placeholder.
      });
  }

  /** The results GraphiQL runs, looked at on their way to the response pane. */
  function watch(result) {
    var data = result && result.data;
    if (!data) return;
    if (data.seedDatabase && data.seedDatabase.id) tell({ kind: 'seed', id: data.seedDatabase.id });
    if (data.crunchSpending && data.crunchSpending.id) tell({ kind: 'crunch', id: data.crunchSpending.id });
    if (data.crunchJob && data.crunchJob.status === 'SUCCEEDED') findCustomerId();
  }

  /** GraphiQL's fetcher answers a result, or (multipart responses) an async iterable of them. */
  function tap(value) {
    if (!value || typeof value[Symbol.asyncIterator] !== 'function') {
      watch(value);
      return value;
    }
    var iterable = {};
    iterable[Symbol.asyncIterator] = function () {
      var iterator = value[Symbol.asyncIterator]();
      return {
        next: function () {
          return iterator.next().then(function (step) {
            if (!step.done) watch(step.value);
            return step;
          });
        },
        return: function (last) {
          return iterator.return ? iterator.return(last) : Promise.resolve({ done: true, value: last });
        },
      };
    };
    return iterable;
  }

  function fetcher(params, options) {
    var result = graphqlFetcher(params, options);
    return result && typeof result.then === 'function' ? result.then(tap) : tap(result);
  }

  // --- the tabs' variables ---------------------------------------------------------------
  var TABS = {
    seed: { operation: /\bquery\s+SeedJob\s*\(/, variable: 'id' },
    crunch: { operation: /\bquery\s+CrunchJob\s*\(/, variable: 'id' },
    customer: { operation: /\bquery\s+OneCustomer\s*\(/, variable: 'customerId' },
  };

  function parsed(text) {
    try {
      return JSON.parse(text || '{}') || {};
    } catch {
      return null;
    }
  }

  var PLACEHOLDER_ID = /^0{24}$/;

  function tabIndexOf(editor, target) {
    return editor.tabs.findIndex(function (tab) {
      return target.operation.test(tab.query || '');
    });
  }

  /**
   * Puts `id` in the variables the variable editor shows (the active tab's). The customer tab
   * is only filled while it holds no real id of the user's; the job tabs always follow the
   * newest job. False when the user is editing them into something that is not JSON.
   */
  function fillEditor(editor, target, fill) {
    if (!editor.variableEditor) return false;
    var variables = parsed(editor.variableEditor.getValue());
    if (variables === null) return false; // the user is editing them: leave them alone
    var now = variables[target.variable];
    if (fill.onlyPlaceholder && typeof now === 'string' && !PLACEHOLDER_ID.test(now) && /^[0-9a-f]{24}$/i.test(now)) return true;
    variables[target.variable] = fill.id;
    editor.variableEditor.setValue(JSON.stringify(variables, null, 2));
    return true;
  }

  /** Rendered inside GraphiQL (its footer), where the editor's state can be reached. */
  function Helper() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var latest = React.useRef(editor);
    latest.current = editor;
    // Ids for tabs that are not open: given to the tab's variables when it is opened. (Changing
    // another tab's variables means replacing GraphiQL's list of tabs, which races with
    // GraphiQL's own updates of it and can leave it without an active tab.)
    var pending = React.useRef({});
    var state = React.useState('');
    var note = state[0];
    var setNote = state[1];

    /** Fills the tab running `key`'s operation now if it is open, else when it is opened; false when there is none. */
    function fillTab(key, id, onlyPlaceholder) {
      var current = latest.current;
      var index = tabIndexOf(current, TABS[key]);
      if (index < 0) return false;
      var fill = { id: id, onlyPlaceholder: onlyPlaceholder };
      if (index === current.activeTabIndex && fillEditor(current, TABS[key], fill)) delete pending.current[key];
      else pending.current[key] = fill;
      return true;
    }

    React.useEffect(
      function () {
        var current = latest.current;
        Object.keys(pending.current).forEach(function (key) {
          if (tabIndexOf(current, TABS[key]) === current.activeTabIndex && fillEditor(current, TABS[key], pending.current[key])) delete pending.current[key];
        });
      },
      [editor.activeTabIndex],
    );

    React.useEffect(function () {
      function onEvent(event) {
        if (event.kind === 'seed' && fillTab('seed', event.id, false))
          setNote('Seed job ' + event.id + ' started: its id is in the SeedJob tab; run that tab to follow it.');
        if (event.kind === 'crunch' && fillTab('crunch', event.id, false))
          setNote('Crunch job ' + event.id + ' started: its id is in the CrunchJob tab; run that tab to follow it.');
        if (event.kind === 'customer') fillTab('customer', event.id, true);
      }
      listeners.push(onEvent);
      findCustomerId();
      return function () {
        listeners.splice(listeners.indexOf(onEvent), 1);
      };
    }, []);
    return note ? React.createElement('div', { className: 'datadragon-note', role: 'status', style: { padding: '4px 8px', fontSize: '0.9em' } }, note) : null;
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(
      GraphiQL,
      {
        fetcher: fetcher,
        defaultTabs: config.tabs,
        // GraphiQL shows the first tab's variables and headers only once that tab is left and
        // opened again: give them for the first render.
        variables: first.variables,
        headers: first.headers,
        defaultEditorToolsVisibility: true,
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
      },
      React.createElement(GraphiQL.Footer, null, React.createElement(Helper)),
    ),
  );
})();
