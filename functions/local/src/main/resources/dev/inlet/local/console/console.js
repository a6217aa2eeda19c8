/* Inlet console. Plain ES5-style JavaScript, no build step. Everything from the server is put into the
   page as text (textContent), never as HTML. Every API call carries the per-run token. */
(function () {
  'use strict';
  var EVENTS_EVERY_MS = 1500;
  var SUMMARY_EVERY_MS = 5000;
  var token = document.querySelector('meta[name="inlet-token"]').getAttribute('content');
  var config = null;
  var selectedId = null;
  var selectedVersion = null;
  var lastEventsJson = null;
  var pendingFilter = null;
  var eventsTimer = null;
  var eventsRound = 0;    // only the newest poll schedules the next one
  var publishedTimer = null;
  var publishedRound = 0;
  var lastPublishedJson = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    if (className) { n.className = className; }
    return n;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function show(node) { node.removeAttribute('hidden'); }
  function hide(node) { node.setAttribute('hidden', 'hidden'); }

  function notify(text, isError) {
    var n = $('notice');
    n.textContent = text;
    n.className = isError ? 'error' : '';
  }

  function api(method, call, body, done, failed) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, '/console/api/' + call, true);
    xhr.setRequestHeader('X-Inlet-Token', token);
    if (body !== null) { xhr.setRequestHeader('Content-Type', 'application/json'); }
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      if (xhr.status === 200) {
        done(data);
      } else {
        notify((data && data.message) || ('The console server answered HTTP ' + xhr.status), true);
        if (failed) { failed(); }
      }
    };
    xhr.send(body === null ? null : JSON.stringify(body));
  }

  function query(params) {
    var parts = [];
    for (var k in params) {
      if (Object.prototype.hasOwnProperty.call(params, k) && params[k] !== '') {
        parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(params[k]));
      }
    }
    return parts.join('&');
  }

  function filter() {
    return { provider: $('f-provider').value, status: $('f-status').value,
             type: $('f-type').value.trim(), since: $('f-since').value };
  }

  function option(select, value, label) {
    var o = el('option', label === undefined ? value : label);
    o.value = value;
    select.appendChild(o);
  }

  /* ---- start ---- */
  function start() {
    api('GET', 'config', null, function (c) {
      config = c;
      $('target').textContent = '(' + c.target + ')';
      var types = {};
      c.providers.forEach(function (p) {
        option($('f-provider'), p.provider);
        option($('send-provider'), p.provider);
        p.eventTypes.forEach(function (t) { types[t] = true; });
      });
      Object.keys(types).sort().forEach(function (t) { option($('event-types'), t); });
      c.statuses.forEach(function (s) { option($('f-status'), s); });
      fillSendTypes();
      if (c.canSend) { show($('send-section')); }
      pollEvents();
      pollSummary();
    });
  }

  function fillSendTypes() {
    var provider = $('send-provider').value;
    var select = $('send-type');
    clear(select);
    config.providers.forEach(function (p) {
      if (p.provider === provider) { p.eventTypes.forEach(function (t) { option(select, t); }); }
    });
  }

  /* ---- events, live ---- */
  function pollEvents() {
    clearTimeout(eventsTimer);
    var round = ++eventsRound;
    api('GET', 'events?' + query(filter()), null, function (d) {
      if (round !== eventsRound) { return; }
      renderEvents(d.events);
      var partial = $('events-partial');
      if (!d.complete) {
        partial.textContent = 'Only the newest ' + d.examinedAtMost + ' stored events were searched for this filter;'
          + ' ./inlet events --type T --from ... --to ... reads any range in full.';
        show(partial);
      } else {
        hide(partial);
      }
      eventsTimer = setTimeout(pollEvents, EVENTS_EVERY_MS);
    }, function () {
      if (round === eventsRound) { eventsTimer = setTimeout(pollEvents, EVENTS_EVERY_MS * 4); }
    });
  }

  function renderEvents(events) {
    var json = JSON.stringify(events);
    if (json === lastEventsJson) { return; }
    lastEventsJson = json;
    var body = $('events').tBodies[0];
    var focused = document.activeElement;
    var focusedId = focused && focused.parentNode && focused.parentNode.parentNode
      && focused.parentNode.parentNode.parentNode === body ? focused.parentNode.parentNode.getAttribute('data-id') : null;
    clear(body);
    events.forEach(function (e) {
      var tr = el('tr');
      tr.setAttribute('data-id', e.id);
      if (e.id === selectedId) { tr.className = 'selected'; }
      var open = el('button', e.receivedAt.replace('T', ' ').replace('Z', ''), 'linkish');
      open.type = 'button';
      open.setAttribute('aria-label', 'Open ' + e.provider + ' ' + e.eventType + ' received ' + e.receivedAt);
      open.addEventListener('click', function () { openEvent(e.id); });
      var first = el('td'); first.appendChild(open); tr.appendChild(first);
      tr.appendChild(el('td', e.provider));
      tr.appendChild(el('td', e.eventType + (e.source && e.source !== 'webhook' ? ' (' + e.source + ')' : '')));
      tr.appendChild(el('td', e.status, 'status s-' + e.status));
      tr.appendChild(el('td', e.attempts));
      tr.appendChild(el('td', e.replayCount, 'replays'));
      tr.addEventListener('click', function (ev) { if (ev.target === tr || ev.target.tagName === 'TD') { openEvent(e.id); } });
      body.appendChild(tr);
      if (e.id === focusedId) { open.focus(); }   // a live update never takes the keyboard away
      if (e.id === selectedId) {
        var version = e.status + '/' + e.replayCount + '/' + e.attempts + '/' + e.publishedCount;
        if (version !== selectedVersion) { openEvent(e.id, true); }
      }
    });
    if (events.length === 0) { show($('events-empty')); } else { hide($('events-empty')); }
  }

  /* ---- one event ---- */
  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') { return; }
    dl.appendChild(el('dt', name));
    dl.appendChild(el('dd', value));
  }

  function openEvent(id, quietly) {
    selectedId = id;
    api('GET', 'event?' + query({ id: id }), null, function (d) {
      var section = $('detail');
      show(section);
      $('detail-id').textContent = id;
      var fields = $('detail-fields');
      clear(fields);
      if (!d.found) {
        fields.appendChild(el('dd', 'No live record (expired or never stored).'));
        return;
      }
      var e = d.event;
      selectedVersion = e.status + '/' + e.replayCount + '/' + e.attempts + '/' + e.publishedCount;
      field(fields, 'Provider', e.provider);
      field(fields, 'Event type', e.eventType);
      field(fields, 'Source', e.source || 'webhook');
      field(fields, 'Dedup key', e.dedupKey);
      field(fields, 'Status', e.status);
      field(fields, 'Received', e.receivedAt);
      field(fields, 'Provider time', e.providerTime);
      field(fields, 'Attempts', e.attempts);
      field(fields, 'Last error', e.lastError);
      field(fields, 'Replay count', e.replayCount);
      field(fields, 'Last replay', e.lastReplayAt);
      field(fields, 'Times processed', e.processedCount);
      field(fields, 'Handled by', e.handledBy);
      if (d.trace) { traceField(fields, d.trace); }
      var replays = fields.querySelectorAll('dd');
      for (var i = 0; i < replays.length; i++) {
        if (replays[i].previousSibling.textContent === 'Replay count') { replays[i].id = 'detail-replays'; }
        if (replays[i].previousSibling.textContent === 'Status') { replays[i].id = 'detail-status'; }
      }
      // The stored history (the record keeps when it last entered each status), oldest first.
      var history = $('detail-history');
      clear(history);
      e.history.forEach(function (h) {
        history.appendChild(el('li', h.status + ' ' + h.at.replace('T', ' ').replace('Z', '')));
      });
      $('detail-history-counts').textContent = '(attempts ' + e.attempts + ', resends ' + e.resends + ', replays '
        + e.replayCount + ', processed ' + e.processedCount + ' time(s), published ' + e.publishedCount + ' event(s)'
        + (e.publishPending ? ', some pending' : '') + ')';
      var audit = $('detail-audit');
      clear(audit);
      Object.keys(d.auditHeaders).forEach(function (k) { field(audit, k, d.auditHeaders[k]); });
      renderEntities($('detail-entities'), d.entities);
      renderPublishedBy($('detail-published'), d.published);
      var b = d.body;
      $('detail-body-info').textContent = '(' + b.bytes + ' bytes, ' + b.format + (b.truncated ? ', truncated' : '') + ')';
      $('detail-body').textContent = b.text !== undefined ? b.text : '(not UTF-8 text: see the bytes below)';
      $('detail-hex').textContent = b.hex || '';
      if (b.hex) { show($('detail-hex-box')); } else { hide($('detail-hex-box')); }
      if (b.format === 'binary') { $('detail-hex-box').setAttribute('open', 'open'); }
      var rows = $('events').tBodies[0].rows;
      for (var r = 0; r < rows.length; r++) {
        rows[r].className = rows[r].getAttribute('data-id') === id ? 'selected' : '';
      }
      if (!quietly) { $('detail-heading').focus(); }
    });
  }

  function renderEntities(list, entities) {
    clear(list);
    if (entities.length === 0) {
      list.appendChild(el('li', 'None: this event names no entity its handler keeps.'));
      return;
    }
    entities.forEach(function (x) {
      var fields = Object.keys(x.fields).map(function (k) { return k + '=' + x.fields[k]; }).join(', ');
      var li = el('li', x.provider + ' ' + x.type + ' ' + x.id + ': ' + x.state + ' (version ' + x.version
        + (fields ? '; ' + fields : '') + ')');
      if (!x.fromThisEvent) {
        // A newer event has since set this entity's state: link to it.
        li.appendChild(document.createTextNode(' now from a later event: '));
        var link = el('button', x.lastEventType, 'linkish');
        link.type = 'button';
        link.setAttribute('aria-label', 'Open the event that last set ' + x.type + ' ' + x.id);
        link.addEventListener('click', function () { openEvent(x.provider + '#' + x.lastDedupKey); });
        li.appendChild(link);
      }
      list.appendChild(li);
    });
  }

  /* The trace id; a link to the X-Ray console when the server gives one (a deployed stack). */
  function traceField(dl, trace) {
    dl.appendChild(el('dt', 'Trace'));
    var dd = el('dd');
    dd.id = 'detail-trace';
    if (trace.url) {
      var a = el('a', trace.id);
      a.href = trace.url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.id = 'detail-trace-link';
      dd.appendChild(a);
    } else {
      dd.textContent = trace.id;
    }
    dl.appendChild(dd);
  }

  function renderPublishedBy(list, published) {
    clear(list);
    if (!published.available) {
      list.appendChild(el('li', published.note));
      return;
    }
    if (published.events.length === 0) {
      list.appendChild(el('li', 'Nothing: this event published no domain event (yet).'));
      return;
    }
    published.events.forEach(function (p) {
      list.appendChild(el('li', '#' + p.seq + ' ' + p.detailType + ' (' + p.source + ')'
        + (p.entity ? ' ' + p.entity : '') + ', published ' + p.publishedAt.replace('T', ' ').replace('Z', '')));
    });
  }

  /* ---- tabs: events, published ---- */
  function selectTab(name, focus) {
    ['events', 'published'].forEach(function (t) {
      var tab = $('tab-' + t);
      var on = t === name;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      if (on) { show($(t + '-section')); } else { hide($(t + '-section')); }
      if (on && focus) { tab.focus(); }
    });
    if (name === 'published') {
      lastPublishedJson = null;
      pollPublished();
    } else {
      clearTimeout(publishedTimer);
      publishedRound++;
    }
  }

  function tabKeys(ev) {
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      ev.preventDefault();
      selectTab($('tab-events').getAttribute('aria-selected') === 'true' ? 'published' : 'events', true);
    }
  }

  function pollPublished() {
    clearTimeout(publishedTimer);
    var round = ++publishedRound;
    api('GET', 'published', null, function (d) {
      if (round !== publishedRound) { return; }
      renderPublished(d);
      publishedTimer = setTimeout(pollPublished, EVENTS_EVERY_MS);
    }, function () {
      if (round === publishedRound) { publishedTimer = setTimeout(pollPublished, EVENTS_EVERY_MS * 4); }
    });
  }

  function renderPublished(d) {
    var json = JSON.stringify(d);
    if (json === lastPublishedJson) { return; }
    lastPublishedJson = json;
    var note = $('published-note');
    var body = $('published').tBodies[0];
    clear(body);
    if (!d.available) {
      note.textContent = d.note;
      show(note);
      hide($('published-empty'));
      return;
    }
    note.textContent = 'Bus ' + d.bus + (d.kept > d.limit ? ': the newest ' + d.limit + ' of ' + d.kept
      + ' kept; ./inlet published lists them all.' : '.');
    show(note);
    d.events.forEach(function (p) {
      var tr = el('tr');
      tr.setAttribute('data-seq', p.seq);
      tr.appendChild(el('td', p.publishedAt.replace('T', ' ').replace('Z', '')));
      tr.appendChild(el('td', p.detailType));
      tr.appendChild(el('td', p.entity));
      var open = el('button', p.eventKey, 'linkish');
      open.type = 'button';
      open.setAttribute('aria-label', 'Open the event ' + p.eventId + ' that published ' + p.detailType);
      open.addEventListener('click', function () { openEvent(p.eventId); });
      var td = el('td'); td.appendChild(open); tr.appendChild(td);
      body.appendChild(tr);
    });
    if (d.events.length === 0) { show($('published-empty')); } else { hide($('published-empty')); }
  }

  /* ---- summary: counts, DLQ, alarms ---- */
  function pollSummary() {
    api('GET', 'summary', null, function (s) {
      var body = $('counts').tBodies[0];
      clear(body);
      Object.keys(s.lastHour).forEach(function (p) {
        var tr = el('tr');
        tr.appendChild(el('th', p));
        tr.firstChild.setAttribute('scope', 'row');
        tr.appendChild(el('td', Object.keys(s.lastHour[p]).map(function (st) { return st + ' ' + s.lastHour[p][st]; }).join(', ')));
        body.appendChild(tr);
      });
      if (s.lastHourCapped) { body.appendChild(el('tr')).appendChild(el('td', 'Counts cover the newest 1000 events only.')); }
      $('dlq-depth').textContent = s.deadLetterDepth;
      var alarms = $('alarms');
      clear(alarms);
      if (!s.alarms.available) {
        alarms.textContent = s.alarms.note;
      } else if (s.alarms.inAlarm.length === 0) {
        alarms.textContent = 'No alarm in ALARM.';
      } else {
        s.alarms.inAlarm.forEach(function (a) {
          var span = el('span', a.name, 'alarm');
          span.title = a.reason;
          alarms.appendChild(span);
          alarms.appendChild(document.createTextNode(' '));
        });
      }
      setTimeout(pollSummary, SUMMARY_EVERY_MS);
    }, function () { setTimeout(pollSummary, SUMMARY_EVERY_MS * 2); });
  }

  /* ---- actions ---- */
  function replayOne() {
    if (!selectedId) { return; }
    api('POST', 'replay', { id: selectedId }, function (o) {
      notify((o.replayed ? 'Replayed ' : 'Not replayed ') + o.id + ': ' + o.why, !o.replayed);
      pollEvents();
    });
  }

  function replayFilter() {
    var f = filter();
    f.confirm = false;
    api('POST', 'replay-filter', f, function (d) {
      pendingFilter = f;
      $('confirm-text').textContent = (d.capped ? 'At least ' : '') + d.matching + ' event(s) match this filter; '
        + d.replayable + ' can be replayed (quarantined ones are skipped). Replay them?';
      show($('confirm'));
      $('confirm-yes').disabled = d.replayable === 0;
      $('confirm-no').focus();
    });
  }

  function confirmReplay() {
    var f = pendingFilter;
    if (!f) { return; }
    f.confirm = true;
    pendingFilter = null;
    hide($('confirm'));
    api('POST', 'replay-filter', f, function (d) {
      notify('Replayed ' + d.replayed + ' event(s); skipped ' + d.skipped + '.', false);
      pollEvents();
    });
  }

  function redrive() {
    api('POST', 'redrive', {}, function (d) {
      notify('Moved ' + d.moved + ' message(s) from the dead-letter queue back to the events queue.', false);
      pollSummary();
    });
  }

  function send(ev) {
    ev.preventDefault();
    var request = { provider: $('send-provider').value, eventType: $('send-type').value, tamper: $('send-tamper').checked };
    $('send-result').textContent = 'Sending...';
    api('POST', 'send', request, function (d) {
      $('send-result').textContent = 'POST ' + d.path + (d.tampered ? ' (tampered)' : '') + ' -> HTTP ' + d.status
        + ' ' + d.answer;
      pollEvents();
    });
  }

  function loadEntities() {
    api('GET', 'entities?' + query({ provider: $('f-provider').value }), null, function (d) {
      var body = $('entities').tBodies[0];
      clear(body);
      d.entities.forEach(function (x) {
        var tr = el('tr');
        tr.appendChild(el('td', x.provider + ' ' + x.type + ' ' + x.id));
        tr.appendChild(el('td', x.state));
        var link = el('button', x.lastEventType, 'linkish');
        link.type = 'button';
        link.setAttribute('aria-label', 'Open the last event of ' + x.type + ' ' + x.id);
        link.addEventListener('click', function () { openEvent(x.provider + '#' + x.lastDedupKey); });
        var td = el('td'); td.appendChild(link); tr.appendChild(td);
        body.appendChild(tr);
      });
      if (d.entities.length === 0) { body.appendChild(el('tr')).appendChild(el('td', 'No entities yet.')); }
      var capped = $('entities-capped');
      if (d.capped) {
        capped.textContent = 'The first ' + d.shownAtMost + ' entities read; ./inlet entities --provider P lists them all.';
        show(capped);
      } else {
        hide(capped);
      }
    });
  }

  $('send-provider').addEventListener('change', fillSendTypes);
  $('send-form').addEventListener('submit', send);
  $('filter-form').addEventListener('submit', function (ev) { ev.preventDefault(); pollEvents(); });
  ['f-provider', 'f-status', 'f-since'].forEach(function (id) {
    $(id).addEventListener('change', function () { lastEventsJson = null; pollEvents(); });
  });
  $('f-type').addEventListener('input', function () { lastEventsJson = null; pollEvents(); });
  $('replay-one').addEventListener('click', replayOne);
  $('replay-filter').addEventListener('click', replayFilter);
  $('confirm-yes').addEventListener('click', confirmReplay);
  $('confirm-no').addEventListener('click', function () { pendingFilter = null; hide($('confirm')); });
  $('redrive').addEventListener('click', redrive);
  $('entities-load').addEventListener('click', loadEntities);
  $('tab-events').addEventListener('click', function () { selectTab('events'); });
  $('tab-published').addEventListener('click', function () { selectTab('published'); });
  $('tab-events').addEventListener('keydown', tabKeys);
  $('tab-published').addEventListener('keydown', tabKeys);
  start();
}());
