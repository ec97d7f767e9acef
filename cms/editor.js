// The editor's rules that Decap CMS does not have, for /admin/ under serve
// and on the live site alike: an image put in a text needs a description
// (alt text), as check requires of every image.
(function () {
  'use strict';
  var CMS = window.CMS, h = window.h;
  if (!CMS || !h) return;
  // The editor's words (content/<lang>/cms.yaml), in the language of the
  // editor's interface, given by the admin page; preview.js reads them
  // here too.
  var me = document.currentScript, W = {};
  try { W = JSON.parse((me && me.getAttribute('data-words')) || '{}'); } catch (e) { W = {}; }
  window.kmopWords = W;
  var E = W.editor || {};

  // Decap's own image component has an optional alt text; this one, with
  // the same id, replaces it. Its pattern reads what its toBlock writes,
  // ![alt](src "title"), as Decap's does, so the images already in a text
  // open in it.
  CMS.registerEditorComponent({
    id: 'image',
    label: E.image,
    fields: [
      { name: 'src', label: E.image, widget: 'image', media_library: { allow_multiple: false } },
      { name: 'alt', label: E.alt, widget: 'string', required: true, hint: E.alt_hint },
      { name: 'title', label: E.image_title, widget: 'string', required: false }
    ],
    pattern: /^!\[([^\]]*)\]\((.*?)(\s"([^"]*)")?\)/,
    fromBlock: function (match) {
      return match && { alt: match[1], src: match[2], title: match[4] };
    },
    toBlock: function (data) {
      var title = data.title ? ' "' + data.title.replace(/"/g, '\\"') + '"' : '';
      return '![' + (data.alt || '') + '](' + (data.src || '') + title + ')';
    },
    toPreview: function (data, getAsset, fields) {
      var field = fields && fields.find(function (f) { return f.get('widget') === 'image'; });
      return h('img', { src: (data.src && getAsset(data.src, field)) || '', alt: data.alt || '', title: data.title || '' });
    }
  });

  // Decap checks the fields of an image only as a form, not when the
  // entry is saved: a save whose text, in any language, has an image
  // without a description is refused, with the reason.
  var noAlt = /!\[\s*\]\(/;
  function texts(entry) {
    var out = [entry.getIn(['data', 'body'])];
    var i18n = entry.get('i18n');
    if (i18n) i18n.forEach(function (locale) { out.push(locale.getIn(['data', 'body'])); });
    return out;
  }
  CMS.registerEventListener({
    name: 'preSave',
    handler: function (args) {
      if (texts(args.entry).some(function (t) { return typeof t === 'string' && noAlt.test(t); })) {
        throw new Error(E.no_alt);
      }
    }
  });
})();
