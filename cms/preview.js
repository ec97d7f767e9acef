// The preview pane of pages and news posts: the entry as kmopsite renders
// it. As the editor types, the entry is posted (after a pause of
// DEBOUNCE ms) to /admin/preview, which renders it with the site's own
// templates and CSS without saving; the pane shows that page in a frame,
// and above it what check would say of the entry, with its line.
(function () {
  'use strict';
  var DEBOUNCE = 150;
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS || !h || !createClass) return;
  var script = document.currentScript;
  // The preview's words, in the editor's language (editor.js reads them
  // from the admin page: content/<lang>/cms.yaml).
  var P = (window.kmopWords || {}).preview || {};
  function fill(s, kv) {
    return String(s || '').replace(/\{(\w+)\}/g, function (m, k) { return k in kv ? String(kv[k]) : m; });
  }

  // The file the entry is saved to, in the language shown in the pane.
  function filePath(entry, collection, locale) {
    var folder = collection.get('folder');
    var i18n = !!collection.get('i18n');
    var p = entry.get('path');
    if (!p) {
      var slug = entry.get('slug') || slugify(entry.getIn(['data', 'title']) || '') || 'new-page';
      p = folder + '/' + slug + '.md';
    }
    if (i18n && locale) {
      // Decap keeps an entry's path without its locale's folder
      // (content/_index.md) or with the default's: the pane's locale it is.
      var locales = collection.getIn(['i18n', 'locales']);
      var parts = p.slice(folder.length + 1).split('/');
      if (parts.length > 1 && locales && locales.includes(parts[0])) parts.shift();
      p = folder + '/' + locale + '/' + parts.join('/');
    }
    return p;
  }

  function slugify(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  }

  // The entry as a file: its fields as front matter (JSON is YAML), then
  // its body. Empty fields are left out, as a save leaves them out.
  function fileText(entry) {
    var data = entry.get('data');
    data = data && data.toJS ? data.toJS() : {};
    var front = {};
    Object.keys(data).forEach(function (k) {
      var v = data[k];
      if (k === 'body' || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return;
      if (v instanceof Date) v = v.toISOString().slice(0, 10);
      front[k] = v;
    });
    return '---\n' + JSON.stringify(front, null, 1) + '\n---\n' + (data.body || '');
  }

  // excerpt is the part of a long source line around the column.
  function excerpt(line, col) {
    var chars = Array.from(line), from = Math.max(0, (col || 1) - 41), to = from + 120;
    return (from > 0 ? '…' : '') + chars.slice(from, to).join('') + (to < chars.length ? '…' : '');
  }

  var Preview = createClass({
    getInitialState: function () {
      return { url: '', diagnostics: [], error: '', busy: true };
    },
    componentDidMount: function () {
      // Decap's frame of the pane has no title (axe: frame-title).
      var outer = this.props.window && this.props.window.frameElement;
      if (outer && !outer.title) outer.title = P.frame_title;
      this.schedule(0);
    },
    componentDidUpdate: function (prev) {
      if (prev.entry !== this.props.entry || prev.locale !== this.props.locale) this.schedule(DEBOUNCE);
    },
    componentWillUnmount: function () {
      clearTimeout(this.timer);
      if (this.inflight) this.inflight.abort();
    },
    schedule: function (ms) {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.send, ms);
    },
    // The entry's images that the site does not have yet (uploaded in
    // the editor, or saved in a draft): Decap holds them as files; they
    // go with the request, read once each, so the preview shows them.
    media: function () {
      var self = this, getAsset = this.props.getAsset;
      var text = this.props.entry.getIn(['data', 'body']) || '';
      var re = /!\[[^\]]*\]\(\/?(assets\/img\/[^)\s"]+)/g, m, paths = {};
      while ((m = re.exec(text))) paths[m[1]] = true;
      self.read = self.read || {};
      return Promise.all(Object.keys(paths).map(function (p) {
        var a = getAsset && getAsset('/' + p);
        var file = a && a.fileObj;
        if (!file) return null;
        var key = p + ':' + file.size + ':' + file.lastModified;
        if (self.read[key]) return self.read[key];
        return self.read[key] = new Promise(function (done) {
          var r = new FileReader();
          r.onload = function () { done({ path: p, content: String(r.result).split(',')[1] || '', encoding: 'base64' }); };
          r.onerror = function () { done(null); };
          r.readAsDataURL(file);
        });
      })).then(function (list) { return list.filter(Boolean); });
    },
    send: function () {
      var self = this;
      this.media().then(function (media) { self.post(media); });
    },
    post: function (media) {
      var self = this;
      var body = JSON.stringify({
        path: filePath(this.props.entry, this.props.collection, this.props.locale),
        raw: fileText(this.props.entry),
        media: media
      });
      if (this.inflight) this.inflight.abort();
      var ctl = this.inflight = new AbortController();
      var n = this.sent = (this.sent || 0) + 1;
      fetch('/admin/preview', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body, signal: ctl.signal
      }).then(function (res) {
        return res.json().then(function (j) {
          if (!res.ok) throw new Error(j.error || res.statusText);
          return j;
        });
      }).then(function (j) {
        if (n !== self.sent) return;
        self.setState({ url: j.url || self.state.url, diagnostics: j.diagnostics, stale: j.stale, error: '', busy: false, page: j.page });
      }).catch(function (e) {
        if (e.name === 'AbortError' || n !== self.sent) return;
        self.setState({ error: String(e.message || e), busy: false });
      });
    },
    // Keep the reader's place when the frame shows the next rendering.
    keepScroll: function (frame) {
      if (!frame) return;
      var self = this;
      if (this.frame && this.frame !== frame) this.frame = null;
      if (!this.frame) {
        this.frame = frame;
        frame.addEventListener('load', function () {
          var win = frame.contentWindow;
          if (win && self.scrollY) win.scrollTo(0, self.scrollY);
          if (win) win.addEventListener('scroll', function () { self.scrollY = win.scrollY; });
          frame.setAttribute('data-loaded', frame.getAttribute('src'));
        });
      }
    },
    render: function () {
      var s = this.state;
      var errors = s.diagnostics.filter(function (d) { return d.severity === 'error'; }).length;
      var list = s.diagnostics.map(function (d, i) {
        var bad = d.severity === 'error';
        return h('li', {
          key: i, className: 'kmop-diag kmop-' + d.severity,
          style: { margin: '0 0 .4rem', padding: '.4rem .6rem', borderLeft: '4px solid ' + (bad ? '#b00020' : '#8a5a00'), background: bad ? '#fdecee' : '#fff6e0' }
        },
          h('strong', null, (d.where ? d.where + ': ' : '') + (P[d.severity] || d.severity) + ': '), d.message,
          d.source ? h('pre', { style: { margin: '.3rem 0 0', whiteSpace: 'pre-wrap', font: '12px/1.4 monospace' } }, excerpt(d.source, d.col)) : null,
          d.hint ? h('div', { style: { marginTop: '.2rem' } }, fill(P.hint, { hint: d.hint })) : null);
      });
      var head;
      if (s.error) {
        head = h('p', { role: 'alert', className: 'kmop-diag kmop-error', style: { margin: 0, padding: '.4rem .6rem', background: '#fdecee' } }, fill(P.failed, { error: s.error }));
      } else if (list.length) {
        head = h('div', { role: 'status' },
          h('p', { style: { margin: '0 0 .4rem', fontWeight: 600 } }, errors ?
            (errors === 1 ? P.mend_one : fill(P.mend_many, { n: errors })) : P.check),
          h('ul', { style: { listStyle: 'none', margin: 0, padding: 0 } }, list));
      } else {
        head = h('p', { role: 'status', className: 'kmop-ok', style: { margin: 0, color: '#1b5e20' } },
          s.busy ? P.busy : fill(P.ok, { page: s.page || '' }));
      }
      // A gutter on the right for Decap's round buttons, which float
      // over the pane and would hide the page's language links.
      // The translations that are up to date now and that this change
      // makes out of date when it is saved.
      var stale = (s.stale || []).map(function (f) { return f.split('/')[1].toUpperCase(); });
      var note = stale.length ? h('p', { className: 'kmop-stale', style: { margin: '.4rem 0 0', color: '#5c3d00' } },
        fill(stale.length === 1 ? P.stale_one : P.stale_many, { files: stale.join(', ') }) + ' ',
        h('a', { href: '/admin/translations', target: '_blank' }, '/admin/translations')) : null;
      return h('div', { style: { display: 'flex', flexDirection: 'column', height: '100vh', margin: '-8px', paddingRight: '3.5rem', background: '#fafafa', font: '14px/1.4 system-ui, sans-serif' } },
        h('div', { className: 'kmop-diagnostics', style: { flex: 'none', maxHeight: '35vh', overflow: 'auto', padding: '.5rem .75rem', borderBottom: '1px solid #ddd', background: '#fafafa' } }, head, note),
        s.url ? h('iframe', {
          src: s.url, ref: this.keepScroll, title: P.page_title,
          // No script runs in the preview: the page as it reads.
          sandbox: 'allow-same-origin',
          style: { flex: '1 1 auto', width: '100%', border: 0, background: '#fff' }
        }) : null);
    }
  });

  // The collections of pages, news posts among them: named by the admin
  // page (cms.PageCollections).
  (script.getAttribute('data-collections') || 'pages').split(' ').forEach(function (name) {
    if (name) CMS.registerPreviewTemplate(name, Preview);
  });
})();
