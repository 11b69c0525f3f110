// papersearch's page: search as you type over /api/search, facets, a paper
// view from /api/paper, and the page state in the URL (so a link reproduces
// the view and back/forward work). No framework, no build step.
//
// Safety: every string from the API is put into the page with textContent or
// as an attribute value of elements built here. The one exception is a
// paper's note_html, which the server renders with cmark-gfm in safe mode; it
// is parsed into an inert <template> and scrubbed again before it is shown.
'use strict';

(() => {
  const PAGE_SIZE = 20;
  const SIMILAR_SIZE = 6;
  // Each keystroke searches: an answer takes milliseconds, and a newer
  // search aborts an older one still in flight (runSearch).
  const DEBOUNCE_MS = 0;
  const FACET_SHOWN = 8;  // values shown before "show all"
  const FILTERS = ['venue', 'year', 'institution', 'keyword', 'author'];
  const FACETS = ['venue', 'year', 'institution', 'keyword'];
  const FLAGS = ['has_note', 'has_code'];

  const $ = (selector) => document.querySelector(selector);
  const el = {};

  // ---- the page state, as in the URL ------------------------------------

  function emptyState() {
    const s = {q: '', sort: '', offset: 0, paper: '', like: ''};
    for (const f of FILTERS) s[f] = [];
    for (const f of FLAGS) s[f] = false;
    return s;
  }

  function copyState(s) {
    const c = Object.assign({}, s);
    for (const f of FILTERS) c[f] = s[f].slice();
    return c;
  }

  function readState(search) {
    const p = new URLSearchParams(search);
    const s = emptyState();
    s.q = p.get('q') || '';
    for (const f of FILTERS) {
      const seen = new Set();
      for (const v of p.getAll(f)) {
        const t = v.trim();
        if (t && !seen.has(t)) {
          seen.add(t);
          s[f].push(t);
        }
      }
    }
    for (const f of FLAGS) s[f] = p.get(f) === '1';
    const sort = p.get('sort') || '';
    s.sort = sort === 'relevance' ? '' : sort;  // the server judges the rest
    const offset = Number.parseInt(p.get('offset') || '0', 10);
    s.offset = Number.isFinite(offset) && offset > 0 ? offset : 0;
    s.paper = (p.get('paper') || '').trim();
    s.like = (p.get('like') || '').trim();
    if (s.like) s.q = '';  // the API takes one or the other
    return s;
  }

  // Percent-encodes a parameter value, leaving `/`, `:` and `,` readable
  // (`/?paper=2024/SnapKV`). Spaces become %20, which every decoder reads.
  function encodeValue(v) {
    return encodeURIComponent(v)
        .replace(/%2F/gi, '/')
        .replace(/%3A/gi, ':')
        .replace(/%2C/gi, ',');
  }

  function toQuery(pairs) {
    return pairs.map(([k, v]) => k + '=' + encodeValue(String(v))).join('&');
  }

  // The search parameters of a state (what /api/search and /api/export take).
  function searchPairs(s) {
    const pairs = [];
    if (s.like) {
      pairs.push(['like', s.like]);
    } else if (s.q.trim()) {
      pairs.push(['q', s.q.trim()]);
    }
    for (const f of FILTERS) for (const v of s[f]) pairs.push([f, v]);
    for (const f of FLAGS) if (s[f]) pairs.push([f, '1']);
    if (s.sort) pairs.push(['sort', s.sort]);
    return pairs;
  }

  function pageUrl(s) {
    const pairs = searchPairs(s);
    if (s.offset) pairs.push(['offset', s.offset]);
    if (s.paper) pairs.push(['paper', s.paper]);
    const qs = toQuery(pairs);
    return qs ? '/?' + qs : '/';
  }

  function paperUrl(id) {
    return '/?paper=' + encodeValue(id);
  }

  // The page with paper `id` open over the current search.
  function viewUrl(id) {
    const s = copyState(state);
    s.paper = id;
    return pageUrl(s);
  }

  let state = readState(location.search);
  // While typing, the first keystroke pushes a history entry and the later
  // ones replace it; a committed change (Enter, a facet, a paper) ends that.
  let typingEntry = false;

  function currentUrl() {
    return location.pathname + location.search;
  }

  // Makes `next` the state: a new history entry ('push') or the current one
  // rewritten ('replace'); then brings the page up to date.
  function go(next, mode) {
    state = next;
    const url = pageUrl(state);
    if (url !== currentUrl() || location.pathname !== '/') {
      if (mode === 'push') {
        history.pushState(null, '', url);
      } else {
        history.replaceState(null, '', url);
      }
    }
    if (mode === 'push') typingEntry = false;
    render();
  }

  function commit(change) {
    const next = copyState(state);
    change(next);
    go(next, 'push');
  }

  // ---- talking to the server --------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function getJson(url, signal) {
    let response;
    try {
      response = await fetch(url, {
        signal,
        headers: {Accept: 'application/json'},
        credentials: 'same-origin',
      });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new ApiError(0, 'Cannot reach the papersearch server.');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
    }
    const said = body && typeof body.error === 'string' ? body.error : '';
    if (!response.ok) {
      if (response.status === 503) {
        throw new ApiError(503, 'No database yet: index a collection with ' +
            'paperindex, then reload this page.' + (said ? ' (' + said + ')' : ''));
      }
      throw new ApiError(response.status,
          said || 'The server answered ' + response.status + '.');
    }
    if (!body || typeof body !== 'object') {
      throw new ApiError(response.status, 'The server sent an answer that is not JSON.');
    }
    return body;
  }

  function showError(err) {
    el.error.textContent = err && err.message ? err.message : String(err);
    el.error.hidden = false;
    document.body.classList.toggle('no-database', !!err && err.status === 503);
  }

  function clearError() {
    el.error.hidden = true;
    el.error.textContent = '';
    document.body.classList.remove('no-database');
  }

  // ---- small DOM helpers -------------------------------------------------

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') {
          node.className = v;
        } else if (k === 'text') {
          node.textContent = v;
        } else if (k.startsWith('data-')) {
          node.setAttribute(k, String(v));
        } else {
          node.setAttribute(k, v === true ? '' : String(v));
        }
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child);  // strings become text nodes
    }
    return node;
  }

  // Only http(s) and same-site links from the API become hrefs.
  function safeHref(url) {
    if (typeof url !== 'string' || !url) return null;
    try {
      const u = new URL(url, location.origin);
      if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
    } catch (err) {
      // not a URL
    }
    return null;
  }

  function externalLink(url, label, cls) {
    const href = safeHref(url);
    if (!href) return null;
    return h('a', {class: cls, href, target: '_blank', rel: 'noopener noreferrer'}, label);
  }

  // A snippet with matched words between ** and **: text nodes and <mark>s.
  function highlighted(text) {
    const frag = document.createDocumentFragment();
    const parts = String(text || '').split('**');
    parts.forEach((part, i) => {
      if (!part) return;
      frag.append(i % 2 === 1 ? h('mark', null, part) : part);
    });
    return frag;
  }

  const numberFormat = new Intl.NumberFormat('en-US');
  const fmt = (n) => numberFormat.format(n);

  function keywordLabel(k) {
    return String(k).replace(/_/g, ' ');
  }

  function fieldLabel(field) {
    return {venue: 'venue', year: 'year', institution: 'institution',
      keyword: 'keyword', author: 'author'}[field] || field;
  }

  // ---- search ------------------------------------------------------------

  let searchController = null;
  let searchKey = null;  // the request last sent (or answered)
  let searchSeq = 0;
  let lastAnswer = null;
  let selected = -1;
  const expandedFacets = new Set();

  function runSearch() {
    const pairs = searchPairs(state);
    // While a word is being typed it matches the words it begins: 'spec'
    // finds speculative. A space after it makes it a whole word.
    if (!state.like && state.q.trim() && !/\s$/.test(state.q)) {
      pairs.push(['partial', '1']);
    }
    pairs.push(['limit', PAGE_SIZE]);
    if (state.offset) pairs.push(['offset', state.offset]);
    const key = toQuery(pairs);
    if (key === searchKey) return;
    searchKey = key;
    if (searchController) searchController.abort();
    const controller = searchController = new AbortController();
    const seq = ++searchSeq;
    document.body.classList.add('loading');
    getJson('/api/search?' + key, controller.signal).then((answer) => {
      if (seq !== searchSeq) return;  // a newer search is under way
      clearError();
      lastAnswer = answer;
      renderAnswer(answer);
      el.results.dataset.search = key;  // what is shown (tests wait for it)
    }).catch((err) => {
      if (err.name === 'AbortError' || seq !== searchSeq) return;
      searchKey = null;  // let the same search be tried again
      lastAnswer = null;
      showError(err);
      renderNoAnswer();
      el.results.dataset.search = key;
    }).finally(() => {
      if (seq === searchSeq) {
        document.body.classList.remove('loading');
        searchController = null;
      }
    });
  }

  function totalText(a) {
    const total = Number(a.total) || 0;
    if (total === 0) return 'No papers found';
    const noun = total === 1 ? 'paper' : 'papers';
    let text = (a.total_is_exact === false ? 'about ' : '') + fmt(total) + ' ' + noun;
    const shown = Array.isArray(a.results) ? a.results.length : 0;
    const offset = Number(a.offset) || 0;
    if (shown && (offset > 0 || shown < total)) {
      text += ', showing ' + fmt(offset + 1) + '–' + fmt(offset + shown);
    }
    return text;
  }

  function renderAnswer(a) {
    el.total.textContent = totalText(a);
    const partly = Number(a.total_some_words) || 0;
    if (partly > 0 && !a.relaxed) {
      el.total.append(h('span', {class: 'total-detail'},
          ' · ' + fmt(Number(a.total_all_words) || 0) + ' match all the words, ' +
          fmt(partly) + ' some of them'));
    }
    renderSuggestion(a);
    renderContext();
    renderResults(a);
    renderFacets(a);
    renderPager(a);
  }

  function renderNoAnswer() {
    el.total.textContent = '';
    el.suggestion.hidden = true;
    el.suggestion.textContent = '';
    el.results.replaceChildren();
    for (const field of FACETS) {
      const section = facetSection(field);
      section.querySelector('ul').replaceChildren();
      section.classList.add('empty');
    }
    renderChips();
    el.prev.hidden = true;
    el.next.hidden = true;
    el.pageInfo.textContent = '';
    selected = -1;
  }

  // ---- "did you mean" ----------------------------------------------------

  // Splits the API's suggestion text ("did you mean 'kv cache'?", "no venue
  // 'ICLM' in the index; did you mean 'ICML' or 'ICLR'?", several joined by
  // "; ") into text and links. A link for a filter value replaces that value;
  // any other replaces the query.
  function suggestionNodes(text, skip) {
    const frag = document.createDocumentFragment();
    const re = /(?:no (venue|institution|keyword|author|year) '((?:(?!' in the index).)*)' in the index; )?did you mean ('.*?')\?(?=;|$)/g;
    let last = 0;
    let m;
    let any = false;
    while ((m = re.exec(text)) !== null) {
      const field = m[1] || '';
      const from = m[2] || '';
      const candidates = m[3].slice(1, -1).split(/', '|' or '/).filter((c) => c);
      if (!field && candidates.length === 1 && candidates[0] === skip) {
        // already shown as "showing results for"
        frag.append(text.slice(last, m.index).replace(/;\s*$/, ''));
        last = re.lastIndex;
        continue;
      }
      frag.append(text.slice(last, m.index));
      if (field) frag.append('no ' + field + ' ‘' + from + '’; ');
      frag.append('did you mean ');
      candidates.forEach((c, i) => {
        if (i > 0) frag.append(i + 1 === candidates.length ? ' or ' : ', ');
        const next = copyState(state);
        next.offset = 0;
        next.paper = '';
        if (field) {
          next[field] = next[field].map((v) => (v === from ? c : v));
          if (!next[field].includes(c)) next[field].push(c);
        } else {
          next.q = c;
          next.like = '';
        }
        const link = h('a', {class: 'suggest-link', href: pageUrl(next)}, c);
        link.addEventListener('click', (event) => {
          if (modified(event)) return;
          event.preventDefault();
          go(next, 'push');
        });
        frag.append(link);
        any = true;
      });
      frag.append('?');
      last = re.lastIndex;
    }
    frag.append(text.slice(last));
    return {frag, any};
  }

  function renderSuggestion(a) {
    el.suggestion.replaceChildren();
    const corrected = typeof a.corrected_query === 'string' ? a.corrected_query : '';
    const suggestion = typeof a.suggestion === 'string' ? a.suggestion : '';
    if (corrected) {
      const next = copyState(state);
      next.q = corrected;
      next.offset = 0;
      const link = h('a', {class: 'suggest-link corrected', href: pageUrl(next)}, corrected);
      link.addEventListener('click', (event) => {
        if (modified(event)) return;
        event.preventDefault();
        go(next, 'push');
      });
      el.suggestion.append('Nothing matches ‘' + (a.query || state.q) + '’; showing results for ', link, '. ');
    }
    if (suggestion) {
      const {frag} = suggestionNodes(suggestion, corrected);
      if (frag.textContent.trim()) el.suggestion.append(frag);
    }
    el.suggestion.hidden = !el.suggestion.textContent.trim();
  }

  // ---- results -----------------------------------------------------------

  function modified(event) {
    return event.button > 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
  }

  function paperMeta(p) {
    const bits = [];
    const venueYear = [p.venue, p.year].filter((x) => x !== null && x !== undefined && x !== '').join(' ');
    if (venueYear) bits.push(venueYear);
    if (Array.isArray(p.institutions) && p.institutions.length) bits.push(p.institutions.join('; '));
    return bits.join(' · ');
  }

  function renderResults(a) {
    const results = Array.isArray(a.results) ? a.results : [];
    const items = [];
    let partialShown = false;
    results.forEach((r, i) => {
      if (r.partial && !partialShown) {
        partialShown = true;
        items.push(h('li', {class: 'partial-heading', role: 'presentation'},
            a.relaxed ? 'No paper matches all the words; these match some of them'
                      : 'Matches some of the words'));
      }
      items.push(resultItem(r, i));
    });
    if (!results.length) {
      const none = Number(a.total) > 0
          ? 'No more papers on this page.'
          : 'No papers match. Try fewer words, or untick a filter.';
      items.push(h('li', {class: 'no-results', role: 'presentation'}, none));
    }
    el.results.replaceChildren(...items);
    selected = -1;
    el.q.removeAttribute('aria-activedescendant');
  }

  function resultItem(r, i) {
    const id = String(r.id || '');
    const title = h('a', {class: 'title', href: viewUrl(id)});
    if (r.abbr && !String(r.title || '').startsWith(r.abbr)) {
      title.append(h('span', {class: 'abbr'}, r.abbr), ' ');
    }
    title.append(String(r.title || id));
    const li = h('li', {
      class: 'result' + (r.partial ? ' partial' : ''),
      id: 'result-' + i,
      role: 'option',
      'aria-selected': 'false',
      'data-id': id,
    }, h('div', {class: 'result-head'}, title, h('span', {class: 'rid'}, id)));
    const meta = paperMeta(r);
    if (meta) li.append(h('div', {class: 'meta'}, meta));
    if (r.snippet) li.append(h('p', {class: 'snippet'}, highlighted(r.snippet)));
    const foot = h('div', {class: 'result-foot'});
    const paper = externalLink(r.url, 'paper', 'ext');
    const code = externalLink(r.code_url, 'code', 'ext');
    if (paper) foot.append(paper);
    if (code) foot.append(code);
    if (r.note) foot.append(h('span', {class: 'has-note'}, 'note'));
    for (const k of Array.isArray(r.keywords) ? r.keywords : []) {
      foot.append(h('span', {class: 'kw'}, keywordLabel(k)));
    }
    if (foot.childNodes.length) li.append(foot);
    return li;
  }

  function resultItems() {
    return Array.from(el.results.querySelectorAll('.result'));
  }

  function select(index, scroll) {
    const items = resultItems();
    if (!items.length) return;
    index = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((item, i) => {
      item.classList.toggle('selected', i === index);
      item.setAttribute('aria-selected', i === index ? 'true' : 'false');
    });
    selected = index;
    el.q.setAttribute('aria-activedescendant', items[index].id);
    if (scroll) items[index].scrollIntoView({block: 'nearest'});
  }

  function clearSelection() {
    resultItems().forEach((item) => {
      item.classList.remove('selected');
      item.setAttribute('aria-selected', 'false');
    });
    selected = -1;
    el.q.removeAttribute('aria-activedescendant');
  }

  function openPaper(id) {
    if (!id) return;
    commit((s) => {
      s.paper = id;
    });
  }

  // ---- facets ------------------------------------------------------------

  function facetSection(field) {
    return el.facets.querySelector('.facet[data-field="' + field + '"]');
  }

  function renderFacets(a) {
    const facets = a.facets && typeof a.facets === 'object' ? a.facets : {};
    const exact = a.facets_are_exact !== false;
    el.facetsNote.textContent = exact ? ''
        : 'counts are estimates' + (a.facets_counted ? ' (from the best ' + fmt(a.facets_counted) + ')' : '');
    for (const field of FACETS) {
      const section = facetSection(field);
      const list = section.querySelector('ul');
      const more = section.querySelector('.facet-more');
      const items = [];
      const known = new Set();
      for (const c of Array.isArray(facets[field]) ? facets[field] : []) {
        if (!c || c.value === null || c.value === undefined) continue;
        const value = String(c.value);
        if (known.has(value)) continue;
        known.add(value);
        items.push({value, count: Number(c.count) || 0});
      }
      // Ticked values stay on the list, even when the answer does not count them.
      for (const value of state[field]) {
        if (!known.has(value)) items.unshift({value, count: null});
      }
      if (field === 'year') items.sort((x, y) => Number(y.value) - Number(x.value));
      const ticked = new Set(state[field]);
      const expanded = expandedFacets.has(field);
      const nodes = items.map((item, i) => {
        const isTicked = ticked.has(item.value);
        const box = h('input', {type: 'checkbox', 'data-value': item.value});
        box.checked = isTicked;
        const label = h('label', null, box, ' ',
            h('span', {class: 'facet-value'}, field === 'keyword' ? keywordLabel(item.value) : item.value));
        if (item.count !== null) {
          label.append(h('span', {class: 'count' + (exact ? '' : ' estimate'),
            title: exact ? null : 'an estimate'}, (exact ? '' : 'about ') + fmt(item.count)));
        }
        const cls = ['facet-item'];
        if (isTicked) cls.push('ticked');
        if (!expanded && !isTicked && i >= FACET_SHOWN) cls.push('extra');
        return h('li', {class: cls.join(' ')}, label);
      });
      list.replaceChildren(...nodes);
      section.classList.toggle('empty', items.length === 0);
      const hiddenCount = items.length - FACET_SHOWN;
      more.hidden = hiddenCount <= 0;
      more.textContent = expanded ? 'Show fewer' : 'Show all ' + fmt(items.length);
    }
    const flags = {has_note: el.hasNote, has_code: el.hasCode};
    for (const f of FLAGS) flags[f].checked = state[f];
    renderChips();
  }

  // The ticked filters as removable chips above the results (the facets
  // are below them on a phone).
  function renderChips() {
    const chips = [];
    for (const field of FILTERS) {
      for (const value of state[field]) {
        const chip = h('button', {type: 'button', class: 'chip', 'data-field': field, 'data-value': value,
          title: 'Remove this filter'}, fieldLabel(field) + ': ' +
          (field === 'keyword' ? keywordLabel(value) : value) + ' ✕');
        chips.push(chip);
      }
    }
    for (const f of FLAGS) {
      if (state[f]) {
        chips.push(h('button', {type: 'button', class: 'chip', 'data-flag': f, title: 'Remove this filter'},
            (f === 'has_note' ? 'has a note' : 'has code') + ' ✕'));
      }
    }
    el.chips.replaceChildren(...chips);
    el.chips.hidden = chips.length === 0;
  }

  function renderContext() {
    el.context.replaceChildren();
    if (!state.like) {
      el.context.hidden = true;
      return;
    }
    const back = h('a', {href: paperUrl(state.like), class: 'like-paper'}, state.like);
    back.addEventListener('click', (event) => {
      if (modified(event)) return;
      event.preventDefault();
      openPaper(state.like);
    });
    const clear = h('button', {type: 'button', class: 'chip', id: 'clear-like'}, 'show all papers ✕');
    clear.addEventListener('click', () => commit((s) => {
      s.like = '';
      s.offset = 0;
    }));
    el.context.append('Papers similar to ', back, ' ', clear);
    el.context.hidden = false;
  }

  // ---- paging ------------------------------------------------------------

  function renderPager(a) {
    const total = Number(a.total) || 0;
    const offset = Number(a.offset) || 0;
    const shown = Array.isArray(a.results) ? a.results.length : 0;
    el.prev.hidden = offset <= 0;
    el.next.hidden = !(shown > 0 && offset + shown < total);
    if (total > PAGE_SIZE) {
      const page = Math.floor(offset / PAGE_SIZE) + 1;
      const pages = Math.ceil(total / PAGE_SIZE);
      el.pageInfo.textContent = 'page ' + fmt(page) + ' of ' + (a.total_is_exact === false ? 'about ' : '') + fmt(pages);
    } else {
      el.pageInfo.textContent = '';
    }
  }

  function page(delta) {
    commit((s) => {
      s.offset = Math.max(0, s.offset + delta * PAGE_SIZE);
      s.paper = '';
    });
    window.scrollTo(0, 0);
  }

  // ---- export links ------------------------------------------------------

  function renderExports() {
    const params = toQuery(searchPairs(state));
    for (const format of ['bibtex', 'markdown', 'json']) {
      const link = $('#export-' + format);
      link.href = '/api/export?format=' + format + (params ? '&' + params : '');
    }
  }

  // ---- the paper view ----------------------------------------------------

  let paperController = null;
  let paperShown = '';   // the id whose view is built (or being built)
  let focusBeforePaper = null;

  function splitId(id) {
    const slash = id.indexOf('/');
    if (slash <= 0 || slash === id.length - 1) return null;
    return [id.slice(0, slash), id.slice(slash + 1)];
  }

  function renderPaperView() {
    const id = state.paper;
    if (!id) {
      if (!el.paper.hidden) {
        el.paper.hidden = true;
        document.body.classList.remove('paper-open');
        if (paperController) paperController.abort();
        paperShown = '';
        const back = focusBeforePaper && document.contains(focusBeforePaper) ? focusBeforePaper : null;
        focusBeforePaper = null;
        if (back) back.focus({preventScroll: true});
      }
      return;
    }
    if (el.paper.hidden) {
      if (!focusBeforePaper) focusBeforePaper = document.activeElement;
      el.paper.hidden = false;
      document.body.classList.add('paper-open');
    }
    if (id === paperShown) return;
    paperShown = id;
    delete el.paper.dataset.loaded;
    const share = new URL(paperUrl(id), location.origin).href;
    el.paperShare.href = paperUrl(id);
    el.paperShare.title = share;
    el.paperLike.href = '/?like=' + encodeValue(id);
    el.paperTitle.textContent = id;
    el.paperSub.textContent = 'Loading…';
    el.paperFields.replaceChildren();
    el.paperLinks.replaceChildren();
    el.note.replaceChildren();
    el.note.classList.remove('empty');
    el.similar.replaceChildren();
    el.paper.scrollTop = 0;
    el.paper.focus({preventScroll: true});

    if (paperController) paperController.abort();
    const controller = paperController = new AbortController();
    const parts = splitId(id);
    if (!parts) {
      el.paperSub.textContent = '‘' + id + '’ is not a paper id (YEAR/NAME).';
      return;
    }
    const path = '/api/paper/' + parts.map(encodeURIComponent).join('/');
    getJson(path, controller.signal).then((p) => {
      if (controller.signal.aborted || state.paper !== id) return;
      renderPaper(p, id);
      el.paper.dataset.loaded = id;  // tests wait for it
    }).catch((err) => {
      if (err.name === 'AbortError') return;
      el.paperSub.textContent = err.message || String(err);
      el.paperSub.classList.add('paper-error');
    });
    const similarUrl = '/api/search?' + toQuery([['like', id], ['limit', SIMILAR_SIZE + 1]]);
    getJson(similarUrl, controller.signal).then((a) => {
      if (controller.signal.aborted || state.paper !== id) return;
      renderSimilar(a, id);
    }).catch((err) => {
      if (err.name === 'AbortError') return;
      el.similar.replaceChildren(h('li', {class: 'no-results'}, 'No similar papers (' + (err.message || err) + ')'));
    });
  }

  function renderPaper(p, id) {
    el.paperSub.classList.remove('paper-error');
    el.paperTitle.replaceChildren();
    if (p.abbr && !String(p.title || '').startsWith(p.abbr)) {
      el.paperTitle.append(h('span', {class: 'abbr'}, p.abbr), ' ');
    }
    el.paperTitle.append(String(p.title || id));
    document.title = String(p.abbr || p.title || id) + ' · papersearch';
    el.paperSub.textContent = [[p.venue, p.year].filter((x) => x !== null && x !== undefined && x !== '').join(' '), String(p.id || id)]
        .filter((x) => x).join(' · ');

    const fields = [];
    const row = (name, ...values) => {
      const dd = h('dd');
      values.forEach((v, i) => {
        if (i > 0) dd.append(v instanceof Node ? ' ' : '; ');
        dd.append(v);
      });
      fields.push(h('dt', null, name), dd);
    };
    const list = (x) => (Array.isArray(x) ? x.filter((v) => typeof v === 'string' && v) : []);
    if (list(p.authors).length) row('Authors', ...list(p.authors));
    if (list(p.institutions).length) row('Institutions', ...list(p.institutions));
    if (list(p.keywords).length) {
      row('Keywords', ...list(p.keywords).map((k) => {
        const next = emptyState();
        next.keyword = [k];
        const link = h('a', {class: 'kw', href: pageUrl(next)}, keywordLabel(k));
        link.addEventListener('click', (event) => {
          if (modified(event)) return;
          event.preventDefault();
          go(next, 'push');
        });
        return link;
      }));
    }
    if (Number(p.rating) > 0) {
      const stars = Math.max(0, Math.min(5, Math.round(Number(p.rating))));
      row('Rating', '★'.repeat(stars) + '☆'.repeat(5 - stars));
    }
    if (Number(p.update_time) > 0) {
      const date = new Date(Number(p.update_time) * 1000);
      if (!Number.isNaN(date.getTime())) row('Updated', date.toISOString().slice(0, 10));
    }
    el.paperFields.replaceChildren(...fields);

    const links = [externalLink(p.url, 'Paper', 'ext'), externalLink(p.code_url, 'Code', 'ext')]
        .filter((x) => x);
    if (!links.length) links.push(h('span', {class: 'muted'}, 'No links in the record.'));
    el.paperLinks.replaceChildren(...links);

    if (typeof p.note_html === 'string' && p.note_html.trim()) {
      el.note.replaceChildren(noteFragment(p.note_html));
      el.note.classList.remove('empty');
    } else {
      el.note.replaceChildren(h('p', null, 'No note for this paper.'));
      el.note.classList.add('empty');
    }
  }

  // The note: HTML from cmark-gfm's safe mode, parsed inert and scrubbed once
  // more (scripts, event handlers, styles, and links that are not http(s),
  // mailto or in-page go), so that a server bug cannot run code here.
  const DROPPED_ELEMENTS = 'script,style,iframe,frame,frameset,object,embed,link,meta,base,form,' +
      'input,button,textarea,select,template,svg,math,noscript';

  function noteFragment(html) {
    const template = document.createElement('template');
    template.innerHTML = html;  // the only innerHTML on the page; inert
    const root = template.content;
    root.querySelectorAll(DROPPED_ELEMENTS).forEach((node) => node.remove());
    for (const node of root.querySelectorAll('*')) {
      for (const attr of Array.from(node.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on') || name === 'style' || name === 'srcset' || name === 'formaction') {
          node.removeAttribute(attr.name);
        }
      }
      if (node.hasAttribute('href')) {
        // cmark-gfm leaves href="" where it dropped a javascript: URL: no link.
        const href = node.getAttribute('href').replace(/[\s\u0000-\u001f]/g, '');
        if (!href || (!/^(https?:|mailto:|#)/i.test(href) && /^[a-z][a-z0-9+.-]*:/i.test(href))) {
          node.removeAttribute('href');
        }
      }
      if (node.hasAttribute('src')) {
        const src = node.getAttribute('src').trim();
        if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^(https?:|data:image\/(png|gif|jpeg|webp);)/i.test(src)) {
          node.removeAttribute('src');
        }
      }
      if (node.tagName === 'A' && node.hasAttribute('href') && !node.getAttribute('href').startsWith('#')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
      if (node.tagName === 'IMG') {
        node.setAttribute('loading', 'lazy');
        node.addEventListener('error', () => node.classList.add('broken'), {once: true});
      }
    }
    return document.importNode(root, true);
  }

  function renderSimilar(a, id) {
    const results = (Array.isArray(a.results) ? a.results : []).filter((r) => r && r.id !== id).slice(0, SIMILAR_SIZE);
    if (!results.length) {
      el.similar.replaceChildren(h('li', {class: 'no-results'}, 'No similar papers.'));
      return;
    }
    el.similar.replaceChildren(...results.map((r) => {
      const link = h('a', {href: viewUrl(String(r.id)), class: 'similar-link'});
      if (r.abbr) link.append(h('span', {class: 'abbr'}, r.abbr), ' ');
      link.append(String(r.title || r.id));
      const meta = paperMeta(r);
      return h('li', {class: 'similar', 'data-id': String(r.id)}, link,
          meta ? h('div', {class: 'meta'}, meta) : null);
    }));
  }

  // ---- the whole page ----------------------------------------------------

  function render() {
    if (el.q.value !== state.q) el.q.value = state.q;
    el.sort.value = state.sort || 'relevance';
    if (el.sort.value !== (state.sort || 'relevance')) el.sort.value = 'relevance';
    el.hasNote.checked = state.has_note;
    el.hasCode.checked = state.has_code;
    document.title = state.like ? 'like ' + state.like + ' · papersearch'
        : state.q.trim() ? state.q.trim() + ' · papersearch' : 'papersearch';
    renderExports();
    renderChips();
    renderContext();
    cancelTyping();
    runSearch();
    renderPaperView();
  }

  let typingTimer = 0;

  function cancelTyping() {
    if (typingTimer) {
      clearTimeout(typingTimer);
      typingTimer = 0;
    }
  }

  function onInput() {
    const next = copyState(state);
    next.q = el.q.value;
    next.offset = 0;
    next.like = '';
    next.paper = '';
    state = next;
    clearSelection();
    const url = pageUrl(state);
    if (url !== currentUrl()) {
      if (typingEntry) {
        history.replaceState(null, '', url);
      } else {
        history.pushState(null, '', url);
        typingEntry = true;
      }
    }
    renderExports();
    renderPaperView();
    cancelTyping();
    typingTimer = setTimeout(() => {
      typingTimer = 0;
      document.title = state.q.trim() ? state.q.trim() + ' · papersearch' : 'papersearch';
      renderContext();
      runSearch();
    }, DEBOUNCE_MS);
  }

  // Ends a typing session: the next keystroke starts a new history entry.
  function settleTyping() {
    typingEntry = false;
    if (typingTimer) {
      cancelTyping();
      runSearch();
    }
  }

  function isTextField(node) {
    if (!node || node === document.body) return false;
    if (node.isContentEditable) return true;
    if (node.tagName === 'TEXTAREA' || node.tagName === 'SELECT') return true;
    if (node.tagName !== 'INPUT') return false;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(node.type);
  }

  function onKeyDown(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const inBox = target === el.q;
    const inList = target === document.body || target === document.documentElement ||
        el.results.contains(target) || target === el.paper;
    switch (event.key) {
      case '/':
        if (isTextField(target)) return;
        event.preventDefault();
        el.q.focus();
        el.q.select();
        return;
      case 'Escape':
        if (state.paper) {
          event.preventDefault();
          commit((s) => {
            s.paper = '';
          });
        } else if (inBox && selected >= 0) {
          event.preventDefault();
          clearSelection();
        }
        return;
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!inBox && !(inList && target !== el.paper)) return;
        if (!resultItems().length) return;
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        select(selected < 0 ? (step > 0 ? 0 : resultItems().length - 1) : selected + step, true);
        return;
      }
      case 'Enter': {
        if (!inBox && !(target === document.body || target === document.documentElement)) return;
        event.preventDefault();
        const items = resultItems();
        if (selected >= 0 && items[selected]) {
          openPaper(items[selected].dataset.id);
        } else if (inBox) {
          settleTyping();
        }
        return;
      }
      default:
    }
  }

  function init() {
    Object.assign(el, {
      q: $('#q'),
      sort: $('#sort'),
      error: $('#error'),
      total: $('#total'),
      suggestion: $('#suggestion'),
      context: $('#context'),
      chips: $('#active-filters'),
      results: $('#results'),
      prev: $('#prev'),
      next: $('#next'),
      pageInfo: $('#page-info'),
      facets: $('#facets'),
      facetsNote: $('#facets-note'),
      hasNote: $('#has-note'),
      hasCode: $('#has-code'),
      paper: $('#paper'),
      paperTitle: $('#paper-title'),
      paperSub: $('#paper-sub'),
      paperFields: $('#paper-fields'),
      paperLinks: $('#paper-links'),
      paperShare: $('#paper-share'),
      paperLike: $('#paper-like'),
      note: $('#paper .note'),
      similar: $('#similar'),
    });

    $('#search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      settleTyping();
    });
    el.q.addEventListener('input', onInput);
    el.q.addEventListener('blur', () => {
      typingEntry = false;
    });
    el.sort.addEventListener('change', () => commit((s) => {
      s.sort = el.sort.value === 'relevance' ? '' : el.sort.value;
      s.offset = 0;
      s.paper = '';
    }));

    el.facets.addEventListener('change', (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox') return;
      if (box.dataset.flag) {
        commit((s) => {
          s[box.dataset.flag] = box.checked;
          s.offset = 0;
          s.paper = '';
        });
        return;
      }
      const section = box.closest('.facet');
      const field = section && section.dataset.field;
      if (!FACETS.includes(field) || box.dataset.value === undefined) return;
      const value = box.dataset.value;
      commit((s) => {
        s[field] = s[field].filter((v) => v !== value);
        if (box.checked) s[field].push(value);
        s.offset = 0;
        s.paper = '';
      });
    });
    el.facets.addEventListener('click', (event) => {
      const more = event.target.closest('.facet-more');
      if (!more) return;
      const field = more.closest('.facet').dataset.field;
      if (expandedFacets.has(field)) {
        expandedFacets.delete(field);
      } else {
        expandedFacets.add(field);
      }
      if (lastAnswer) renderFacets(lastAnswer);
    });
    el.chips.addEventListener('click', (event) => {
      const chip = event.target.closest('.chip');
      if (!chip) return;
      commit((s) => {
        if (chip.dataset.flag) {
          s[chip.dataset.flag] = false;
        } else if (FILTERS.includes(chip.dataset.field)) {
          s[chip.dataset.field] = s[chip.dataset.field].filter((v) => v !== chip.dataset.value);
        }
        s.offset = 0;
        s.paper = '';
      });
    });

    el.results.addEventListener('click', (event) => {
      const item = event.target.closest('.result');
      if (!item) return;
      const link = event.target.closest('a');
      if (link && !link.classList.contains('title')) return;  // paper/code links
      if (link && modified(event)) return;  // a new tab
      if (!link && window.getSelection && String(window.getSelection()).length) return;  // selecting text
      event.preventDefault();
      select(resultItems().indexOf(item), false);
      openPaper(item.dataset.id);
    });
    el.similar.addEventListener('click', (event) => {
      const link = event.target.closest('a.similar-link');
      if (!link || modified(event)) return;
      event.preventDefault();
      openPaper(link.closest('.similar').dataset.id);
    });
    $('#paper-close').addEventListener('click', () => commit((s) => {
      s.paper = '';
    }));
    el.paperShare.addEventListener('click', (event) => {
      if (modified(event)) return;
      event.preventDefault();  // the view is already this link's
    });
    $('#paper-copy').addEventListener('click', (event) => {
      const url = el.paperShare.href;
      const button = event.currentTarget;
      const done = (ok) => {
        button.textContent = ok ? 'Copied' : 'Copy failed';
        setTimeout(() => {
          button.textContent = 'Copy link';
        }, 1500);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(() => done(true), () => done(false));
      } else {
        done(false);
      }
    });
    el.paperLike.addEventListener('click', (event) => {
      if (modified(event) || !state.paper) return;
      event.preventDefault();
      const id = state.paper;
      commit((s) => {
        Object.assign(s, emptyState());
        s.like = id;
      });
    });
    $('#home').addEventListener('click', (event) => {
      if (modified(event)) return;
      event.preventDefault();
      go(emptyState(), 'push');
      el.q.focus();
    });
    el.prev.addEventListener('click', () => page(-1));
    el.next.addEventListener('click', () => page(1));

    document.addEventListener('keydown', onKeyDown);
    window.addEventListener('popstate', () => {
      state = readState(location.search);
      typingEntry = false;
      render();
    });

    // Normalise the address (`/index.html`, `+` for spaces) without a new entry.
    const url = pageUrl(state);
    if (url !== currentUrl()) history.replaceState(null, '', url);
    render();
    // The box has the focus on the empty page, except on touch screens
    // (where it would open the keyboard over the page).
    if (!state.paper && window.matchMedia('(pointer: fine)').matches) {
      el.q.focus({preventScroll: true});
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
