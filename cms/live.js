// The preview pane of the live site: the entry with the site's CSS. The
// site's templates need kmopsite, which does not run there; the pull
// request's deploy preview (the "view preview" link once a change is
// saved) shows the real page.
(function () {
  'use strict';
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS || !h || !createClass) return;
  var script = document.currentScript;
  if (script.dataset.css) CMS.registerPreviewStyle(script.dataset.css);

  var Page = createClass({
    componentDidMount: function () {
      // Decap's frame of the pane has no title (axe: frame-title).
      var outer = this.props.window && this.props.window.frameElement;
      if (outer && !outer.title) outer.title = ((window.kmopWords || {}).preview || {}).frame_title || '';
    },
    render: function () {
      var entry = this.props.entry;
      return h('main', { id: 'main' },
        h('div', { className: 'wrap' },
          h('article', { className: 'prose' },
            h('h1', {}, entry.getIn(['data', 'title']) || ''),
            this.props.widgetFor('body'))));
    }
  });
  (script.dataset.collections || '').split(' ').forEach(function (name) {
    if (name) CMS.registerPreviewTemplate(name, Page);
  });
})();
