// The datadragon playground: GraphiQL (from the app's own files, no CDN) on this server's
// GraphQL endpoint, with the example operations as tabs. Configured by the JSON in
// <script id="playground-config">, which the server writes.
/* global React, ReactDOM, GraphiQL */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var first = config.tabs[0] || {};
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      // GraphiQL shows the first tab's variables and headers only once that tab is left and
      // opened again: give them for the first render.
      variables: first.variables,
      headers: first.headers,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
    }),
  );
})();
