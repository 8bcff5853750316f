// The analysts' dashboard (docs/analytics.md, "Dashboard"): signs its analyst in on this server
// (client sehat-dashboard, authorization code with PKCE), then draws the indicators of
// /analytics/indicators with her token. Every figure comes from the server as it answers the API,
// small cells already hidden; the page only lays them out. No framework, no build.
'use strict';

const CLIENT_ID = 'sehat-dashboard';
const TOKEN_KEY = 'sehat.dashboard.token';
const SIGN_IN_KEY = 'sehat.dashboard.signIn';
const TIME = ['year', 'quarter', 'month', 'week', 'day'];

// Labels in English and Urdu; dimension values the record holds in English are translated too.
const TEXT = {
  en: {
    title: 'Population health', signOut: 'Sign out', viewPlaces: 'Places', viewTime: 'Over time',
    viewPeople: 'Sex and age', viewVirtual: 'Virtual share', indicator: 'Indicator', province: 'Province',
    district: 'District', sex: 'Sex', year: 'Year', breakdown: 'Break down by', split: 'Split by',
    csv: 'Download CSV', all: 'All', none: 'None', hidden: 'hidden', value: 'Count', total: 'Total',
    atLeast: 'at least', share: 'Virtual share', coverage: 'Coverage', denominator: 'Children',
    dropOutRate: 'Drop-out rate', started: 'Started', anc4Share: 'Four or more visits', pregnancies: 'Pregnancies',
    code: 'ICD-10 code', antigen: 'Antigen', dose: 'Dose', cohort: 'Birth year', cvx: 'CVX code',
    from: 'From dose (antigen:dose)', to: 'To dose (antigen:dose)', 'within-months': 'Given by the age of (months)',
    loading: 'Loading…', signingIn: 'Signing in…', allPlaces: 'All provinces',
    noTehsil: 'Tehsils are not in the record yet: a district breaks down by facility.',
    denied: 'This account may not use the dashboard: it is for analysts. Sign out and sign in as an analyst.',
    failed: 'The server did not answer: ', empty: 'No data for this question.',
    suppressionNote: 'Counts from 1 to 10 are hidden, with other cells so that they cannot be worked out from totals; people are counted once however many facilities registered them.',
    province_d: 'Province', district_d: 'District', facility: 'Facility', quarter: 'Quarter', month: 'Month',
    week: 'Week', day: 'Day', age_band: 'Age band', mode: 'Mode', status: 'Status',
    conditionPresets: 'Condition',
  },
  ur: {
    title: 'آبادی کی صحت', signOut: 'سائن آؤٹ', viewPlaces: 'مقامات', viewTime: 'وقت کے ساتھ',
    viewPeople: 'جنس اور عمر', viewVirtual: 'ورچوئل حصہ', indicator: 'اشاریہ', province: 'صوبہ',
    district: 'ضلع', sex: 'جنس', year: 'سال', breakdown: 'تقسیم بلحاظ', split: 'ذیلی تقسیم',
    csv: 'CSV ڈاؤن لوڈ کریں', all: 'تمام', none: 'کوئی نہیں', hidden: 'پوشیدہ', value: 'تعداد', total: 'کل',
    atLeast: 'کم از کم', share: 'ورچوئل حصہ', coverage: 'کوریج', denominator: 'بچے',
    dropOutRate: 'ڈراپ آؤٹ کی شرح', started: 'آغاز کرنے والے بچے', anc4Share: 'چار یا زیادہ معائنے', pregnancies: 'حمل',
    code: 'ICD-10 کوڈ', antigen: 'اینٹی جن', dose: 'خوراک', cohort: 'سالِ پیدائش', cvx: 'CVX کوڈ',
    from: 'پہلی خوراک (اینٹی جن:خوراک)', to: 'آخری خوراک (اینٹی جن:خوراک)', 'within-months': 'اس عمر تک دی گئی (مہینے)',
    loading: 'لوڈ ہو رہا ہے…', signingIn: 'سائن ان ہو رہا ہے…', allPlaces: 'تمام صوبے',
    noTehsil: 'تحصیلیں ابھی ریکارڈ میں نہیں ہیں: ضلع کی تقسیم مرکزِ صحت کے لحاظ سے ہے۔',
    denied: 'یہ اکاؤنٹ ڈیش بورڈ استعمال نہیں کر سکتا: یہ تجزیہ کاروں کے لیے ہے۔ سائن آؤٹ کر کے تجزیہ کار کے طور پر سائن ان کریں۔',
    failed: 'سرور نے جواب نہیں دیا: ', empty: 'اس سوال کا کوئی ڈیٹا نہیں۔',
    suppressionNote: '1 سے 10 تک کی تعداد پوشیدہ رکھی جاتی ہے، اور ساتھ دوسرے خانے بھی تاکہ انہیں میزان سے معلوم نہ کیا جا سکے؛ ہر فرد ایک بار گنا جاتا ہے چاہے کتنے ہی مراکز میں درج ہو۔',
    province_d: 'صوبہ', district_d: 'ضلع', facility: 'مرکزِ صحت', quarter: 'سہ ماہی', month: 'مہینہ',
    week: 'ہفتہ', day: 'دن', age_band: 'عمر کا گروپ', mode: 'طریقہ', status: 'حیثیت',
    conditionPresets: 'بیماری',
  },
};
const VALUES_UR = {
  female: 'خواتین', male: 'مرد', other: 'دیگر', unknown: 'نامعلوم', virtual: 'ورچوئل', 'in-person': 'بالمشافہ',
  vaccinated: 'ویکسین شدہ', unvaccinated: 'غیر ویکسین شدہ', completed: 'مکمل', 'dropped-out': 'ڈراپ آؤٹ', 'four-or-more': 'چار یا زیادہ', fewer: 'چار سے کم', Sindh: 'سندھ', Punjab: 'پنجاب',
  Balochistan: 'بلوچستان', 'Khyber Pakhtunkhwa': 'خیبر پختونخوا', Islamabad: 'اسلام آباد',
  'Gilgit-Baltistan': 'گلگت بلتستان', 'Azad Jammu and Kashmir': 'آزاد جموں و کشمیر', Tharparkar: 'تھرپارکر',
  Umerkot: 'عمرکوٹ', Sanghar: 'سانگھڑ', Karachi: 'کراچی', Lahore: 'لاہور', Quetta: 'کوئٹہ', Peshawar: 'پشاور',
};
const VALUES_EN = { 'in-person': 'in person' };
const INDICATORS_UR = {
  people: 'ریکارڈ میں افراد', 'people-with-condition': 'کسی بیماری کی تشخیص والے افراد',
  encounters: 'معائنے، بالمشافہ اور ورچوئل', 'people-with-high-hba1c': 'HbA1c ‏6.5% یا زیادہ والے افراد',
  'people-with-low-haemoglobin': 'خون کی کمی (ہیموگلوبن WHO حد سے کم) والے افراد',
  'vaccine-doses': 'دی گئی ویکسین خوراکیں', 'vaccine-coverage': 'پیدائشی گروہ میں ویکسین کوریج',
  'vaccine-drop-out': 'پیدائشی گروہ میں دو خوراکوں کے درمیان ڈراپ آؤٹ',
  'antenatal-visits': 'قبل از پیدائش معائنے',
  'antenatal-care-four-visits': 'چار یا زیادہ قبل از پیدائش معائنوں والے حمل',
};
const CONDITIONS = [
  ['D50-D64', 'Anaemia (D50-D64)', 'خون کی کمی (D50-D64)'],
  ['E10-E14', 'Diabetes (E10-E14)', 'ذیابیطس (E10-E14)'],
  ['I10-I15', 'Hypertension (I10-I15)', 'بلند فشارِ خون (I10-I15)'],
  ['A15-A19', 'Tuberculosis (A15-A19)', 'تپ دق (A15-A19)'],
  ['B50-B54', 'Malaria (B50-B54)', 'ملیریا (B50-B54)'],
  ['A00-A09', 'Diarrhoea and gastroenteritis (A00-A09)', 'اسہال (A00-A09)'],
];
const ANTIGENS = ['measles', 'penta', 'opv', 'ipv', 'pcv', 'rota', 'bcg', 'hepb-birth', 'tcv'];
const SPLITS = ['sex', 'age_band', 'mode', 'status'];

const state = {
  lang: localStorage.getItem('sehat.dashboard.lang') || 'en',
  view: 'places',
  catalogue: [],
  indicator: 'people-with-condition',
  parameters: {
    code: 'D50-D64', antigen: 'measles', dose: '1', cohort: String(new Date().getFullYear() - 2),
    from: 'penta:1', to: 'penta:3',
  },
  filters: {},
  by: 'province',
  split: '',
  answer: null,
};
let chart;

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[state.lang][key] ?? TEXT.en[key] ?? key;
const show = (value) => (state.lang === 'ur' ? VALUES_UR[value] : VALUES_EN[value]) ?? earlierYears(value) ?? value;
// The server counts the events of years before those it shows one by one together: before-2017.
const earlierYears = (value) => {
  const year = /^before-(\d{4})$/.exec(value)?.[1];
  return year && (state.lang === 'ur' ? `${year} سے پہلے` : `before ${year}`);
};
const dimensionName = (d) => t(d === 'province' || d === 'district' ? d + '_d' : d);
const redirectUri = () => location.origin + '/dashboard/';

// ---- Signing in: OAuth 2 authorization code with PKCE, on this server, as a public client ----

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function smartConfiguration() {
  const response = await fetch('/fhir/.well-known/smart-configuration');
  if (!response.ok) throw new Error('smart-configuration ' + response.status);
  return response.json();
}

async function signIn() {
  setStatus(t('signingIn'));
  const configuration = await smartConfiguration();
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const stateValue = base64url(crypto.getRandomValues(new Uint8Array(16)));
  // What the analyst was looking at, to come back to it (a token lasts minutes; signing in again
  // while the server's sign-in session lasts is a redirect and back).
  const question = { indicator: state.indicator, parameters: state.parameters, filters: state.filters, by: state.by, split: state.split };
  sessionStorage.setItem(SIGN_IN_KEY, JSON.stringify({ verifier, state: stateValue, hash: location.hash, question }));
  location.assign(configuration.authorization_endpoint + '?' + new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri(), scope: 'openid',
    state: stateValue, code_challenge: challenge, code_challenge_method: 'S256',
  }));
}

/**
 * Back from the sign-in page with a code (or an error): the token, then the address without them;
 * true when the question asked before signing in again is restored.
 */
async function completeSignIn() {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) return false;
  const started = JSON.parse(sessionStorage.getItem(SIGN_IN_KEY) || 'null');
  sessionStorage.removeItem(SIGN_IN_KEY);
  history.replaceState(null, '', '/dashboard/' + (started?.hash || ''));
  if (query.has('error')) throw new SignInRefused(query.get('error'));
  if (!started || started.state !== query.get('state')) throw new Error('sign-in state does not match');
  const restored = Boolean(started.question);
  if (restored) Object.assign(state, started.question);
  const configuration = await smartConfiguration();
  const response = await fetch(configuration.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
      client_id: CLIENT_ID, code_verifier: started.verifier,
    }),
  });
  const body = await response.json();
  if (!response.ok) throw new SignInRefused(body.error);
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify({
    token: body.access_token, expires: Date.now() + 1000 * (body.expires_in || 300),
  }));
  return restored;
}

class SignInRefused extends Error {}

function token() {
  const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
  return saved && saved.expires > Date.now() + 10000 ? saved.token : null;
}

/** GET from the analytics API with the analyst's token; signs in again when it has expired. */
async function api(path) {
  const bearer = token();
  if (!bearer) {
    await signIn();
    return new Promise(() => {}); // the page is leaving
  }
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + bearer } });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    return api(path);
  }
  if (!response.ok) {
    let detail = response.status + '';
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not a problem detail */ }
    throw new Error(detail);
  }
  return response;
}

// ---- Questions: the indicator, its parameters, filters and breakdown, as the API takes them ----

function indicatorMeta() {
  return state.catalogue.find((i) => i.id === state.indicator);
}

function query(format) {
  const meta = indicatorMeta();
  const params = new URLSearchParams();
  for (const name of Object.keys(meta?.parameters || {})) {
    const value = state.parameters[name];
    if (value && !(name === 'cvx' && state.indicator === 'vaccine-coverage')) params.set(name, value);
  }
  for (const [name, value] of Object.entries(state.filters)) {
    if (value && meta?.dimensions.includes(name)) params.set(name, value);
  }
  const by = [state.by, state.split].filter((d) => d && meta?.dimensions.includes(d));
  if (by.length) params.set('by', by.join(','));
  if (format) params.set('format', format);
  return '/analytics/indicators/' + encodeURIComponent(state.indicator) + '?' + params;
}

async function ask() {
  setStatus(t('loading'));
  delete document.body.dataset.answered;
  const asked = query();
  try {
    const answer = await (await api(asked)).json();
    state.answer = answer;
    setStatus('');
    await drawHeadline(answer);
    draw(answer);
    document.body.dataset.answered = asked; // what is on screen (browser tests wait for it)
  } catch (e) {
    if (e instanceof SignInRefused) throw e;
    state.answer = null;
    setStatus(t('failed') + e.message, true);
    draw(null);
  }
}

/** The proportion an answer carries (coverage, drop-out rate, ANC4 share), by its name in the answer, or null. */
function ratioOf(answer) {
  return ['coverage', 'dropOutRate', 'anc4Share'].find((name) => answer[name]) || null;
}

/** The whole slice in one line: its total, the coverage or drop-out rate, or the virtual share. */
async function drawHeadline(answer) {
  const headline = $('headline');
  headline.textContent = '';
  const ratio = ratioOf(answer);
  if (ratio && answer[ratio][ratio] != null) {
    headline.textContent = t(ratio) + ': ' + percent(answer[ratio][ratio])
      + ' (' + answer[ratio].value + ' / ' + answer[ratio].denominator + ')';
  } else if (state.view === 'virtual' && state.indicator === 'encounters') {
    // The share of consultations, whatever the breakdown: only encounters have a mode.
    const params = new URLSearchParams(query().split('?')[1]);
    params.set('by', 'mode');
    const byMode = await (await api('/analytics/indicators/encounters?' + params)).json();
    const cell = (mode) => byMode.rows.find((r) => r.mode === mode);
    const virtual = cell('virtual');
    const inPerson = cell('in-person');
    if (virtual?.suppressed || inPerson?.suppressed) {
      headline.textContent = t('share') + ': ' + t('hidden');
    } else {
      const v = virtual?.value || 0;
      const all = v + (inPerson?.value || 0);
      headline.textContent = t('share') + ': ' + (all ? percent(v / all) : '–') + ' (' + v + ' / ' + all + ')';
    }
  } else if (answer.total) {
    headline.textContent = t('total') + ': ' + (answer.total.suppressed ? t('hidden') : answer.total.value
      + (answer.total.atLeast != null && answer.total.atLeast !== answer.total.value
        ? ' (' + t('atLeast') + ' ' + answer.total.atLeast + ')' : ''));
  }
}

const percent = (x) => (100 * x).toFixed(1) + '%';

// ---- Drawing: the chart (ECharts) and the table of every cell, hidden ones marked ----

/** Age bands and other values in their natural order: 5-9 before 10-14; the earlier years first. */
const COLLATOR = new Intl.Collator('en', { numeric: true });
const NATURAL = {
  compare: (a, b) => (String(b).startsWith('before-') - String(a).startsWith('before-')) || COLLATOR.compare(a, b),
};

function layout(answer) {
  const columns = answer.breakdown;
  const x = columns.includes(state.by) ? state.by : columns[columns.length - 1];
  const split = columns.find((c) => c !== x && SPLITS.includes(c) && (c === state.split || c === 'status'));
  const categories = [...new Set(answer.rows.map((r) => r[x]))].sort(NATURAL.compare);
  const series = split ? [...new Set(answer.rows.map((r) => r[split]))].sort(NATURAL.compare) : ['value'];
  const cell = (category, serie) => answer.rows.find((r) => r[x] === category && (!split || r[split] === serie));
  return { x, split, categories, series, cell };
}

function draw(answer) {
  const thead = $('table').tHead;
  const tbody = $('table').tBodies[0];
  thead.textContent = '';
  tbody.textContent = '';
  if (!answer || !answer.rows.length) {
    chart?.clear();
    if (answer) setStatus(t('empty'));
    return;
  }
  const { x, split, categories, series, cell } = layout(answer);
  const isTime = TIME.includes(x);
  const label = (category) => show(category) + (series.some((s) => cell(category, s)?.suppressed) ? ' *' : '');
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: 'axis' },
    legend: split ? { data: series.map(show), [state.lang === 'ur' ? 'right' : 'left']: 10 } : undefined,
    grid: { left: 60, right: 60, bottom: 70, top: split ? 40 : 20 },
    xAxis: { type: 'category', data: categories.map(label), inverse: state.lang === 'ur', axisLabel: { rotate: categories.length > 8 ? 40 : 0 } },
    yAxis: { type: 'value', position: state.lang === 'ur' ? 'right' : 'left', minInterval: 1 },
    // Bars side by side, never stacked: a stack with a hidden cell in it would look like a total.
    series: series.map((s) => ({
      name: show(s),
      type: isTime && !split ? 'line' : 'bar',
      connectNulls: false,
      data: categories.map((c) => cell(c, s)?.value ?? (cell(c, s)?.suppressed ? null : 0)),
    })),
  }, true);

  const head = thead.insertRow();
  const headers = [dimensionName(x), ...(split ? [dimensionName(split)] : []), t('value')];
  const ratio = ratioOf(answer) || (split === 'mode' ? 'share' : null);
  if (ratio === 'coverage') headers.push(t('denominator'), t('coverage'));
  if (ratio === 'dropOutRate') headers.push(t('started'), t('dropOutRate'));
  if (ratio === 'anc4Share') headers.push(t('pregnancies'), t('anc4Share'));
  if (ratio === 'share') headers.push(t('share'));
  for (const h of headers) head.appendChild(document.createElement('th')).textContent = h;
  const rows = [...answer.rows].sort((a, b) => NATURAL.compare(a[x], b[x]) || (split ? NATURAL.compare(a[split], b[split]) : 0));
  for (const row of rows) {
    const tr = tbody.insertRow();
    tr.dataset[x] = row[x];
    if (drillsFrom(x)) {
      tr.className = 'drill';
      tr.addEventListener('click', () => drill(row[x]));
    }
    tr.insertCell().textContent = show(row[x]);
    if (split) tr.insertCell().textContent = show(row[split]);
    const value = tr.insertCell();
    value.className = row.suppressed ? 'hidden' : 'number';
    value.textContent = row.suppressed ? t('hidden') : String(row.value);
    if (ratio === 'coverage' || ratio === 'dropOutRate' || ratio === 'anc4Share') {
      tr.insertCell().textContent = row.denominator ?? '';
      tr.insertCell().textContent = row[ratio] != null ? percent(row[ratio]) : '';
    }
    if (ratio === 'share') {
      const share = tr.insertCell();
      share.className = 'number';
      if (row.mode === 'virtual') {
        const other = cell(row[x], 'in-person');
        share.textContent = row.suppressed || other?.suppressed ? '' : percent(row.value / (row.value + (other?.value || 0)));
      }
    }
  }
}

// ---- Drilling down: all provinces -> a province's districts -> a district's facilities ----

const drillsFrom = (x) => x === 'province' || x === 'district';

async function drill(value) {
  if (state.by === 'province') {
    state.filters.province = value;
    state.by = 'district';
    await loadDistricts();
  } else if (state.by === 'district') {
    state.filters.district = value;
    state.by = 'facility';
  }
  renderControls();
  await ask();
}

function renderTrail() {
  const trail = $('trail');
  trail.textContent = '';
  const step = (text, action) => {
    if (trail.childNodes.length) trail.append(' › ');
    if (!action) { trail.append(text); return; }
    const button = trail.appendChild(document.createElement('button'));
    button.type = 'button';
    button.textContent = text;
    button.addEventListener('click', action);
  };
  const { province, district } = state.filters;
  step(t('allPlaces'), province ? async () => {
    delete state.filters.province; delete state.filters.district; state.by = 'province';
    renderControls(); await ask();
  } : null);
  if (province) {
    step(show(province), district ? async () => {
      delete state.filters.district; state.by = 'district'; renderControls(); await ask();
    } : null);
  }
  if (district) {
    step(show(district), null);
    trail.append(' — ' + t('noTehsil'));
  }
}

// ---- Controls ----

function option(select, value, text) {
  const o = select.appendChild(document.createElement('option'));
  o.value = value;
  o.textContent = text;
  return o;
}

let provinces = [];
let districts = [];

async function placesOf(by, filters) {
  const params = new URLSearchParams({ by, ...filters });
  const answer = await (await api('/analytics/indicators/people?' + params)).json();
  return [...new Set(answer.rows.map((r) => r[by]))].filter((v) => v !== 'unknown');
}

async function loadDistricts() {
  districts = state.filters.province ? await placesOf('district', { province: state.filters.province }) : [];
}

function renderParameters() {
  const box = $('parameters');
  box.textContent = '';
  const meta = indicatorMeta();
  const names = Object.keys(meta?.parameters || {}).filter((n) => !(n === 'cvx' && meta.id === 'vaccine-coverage'));
  for (const name of names) {
    const label = box.appendChild(document.createElement('label'));
    label.appendChild(document.createElement('span')).textContent = name === 'code' ? t('conditionPresets') : t(name);
    let input;
    if (name === 'code') {
      input = document.createElement('select');
      for (const [code, en, ur] of CONDITIONS) option(input, code, state.lang === 'ur' ? ur : en);
      if (!CONDITIONS.some(([code]) => code === state.parameters.code)) option(input, state.parameters.code, state.parameters.code);
    } else if (name === 'antigen') {
      input = document.createElement('select');
      for (const antigen of ANTIGENS) option(input, antigen, antigen);
    } else {
      input = document.createElement('input');
      input.type = ['cvx', 'from', 'to'].includes(name) ? 'text' : 'number';
    }
    input.id = 'p-' + name;
    input.value = state.parameters[name] ?? '';
    input.addEventListener('change', () => { state.parameters[name] = input.value; ask(); });
    label.appendChild(input);
  }
}

function renderControls() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === 'ur' ? 'rtl' : 'ltr';
  document.title = 'Sehat Hub: ' + t('title');
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  $('language').textContent = state.lang === 'ur' ? 'English' : 'اردو';
  $('language').lang = state.lang === 'ur' ? 'en' : 'ur';
  for (const button of document.querySelectorAll('#views button')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
  }

  const indicator = $('indicator');
  indicator.textContent = '';
  for (const i of state.catalogue) option(indicator, i.id, state.lang === 'ur' ? INDICATORS_UR[i.id] || i.title : i.title);
  indicator.value = state.indicator;
  renderParameters();

  const meta = indicatorMeta();
  const fill = (select, values, current) => {
    select.textContent = '';
    option(select, '', t('all'));
    for (const v of values) option(select, v, show(v));
    select.value = current || '';
  };
  fill($('f-province'), provinces, state.filters.province);
  fill($('f-district'), districts, state.filters.district);
  $('f-district').disabled = !state.filters.province;
  fill($('f-sex'), ['female', 'male'], state.filters.sex);
  const thisYear = new Date().getFullYear();
  fill($('f-year'), [0, 1, 2, 3, 4].map((n) => String(thisYear - n)), state.filters.year);
  $('f-year').disabled = !meta?.dimensions.includes('year');

  const by = $('by');
  by.textContent = '';
  const breakdowns = ['province', 'district', 'facility', 'year', 'quarter', 'month', 'week', 'age_band', 'sex', 'mode'];
  for (const d of breakdowns.filter((d) => meta?.dimensions.includes(d))) option(by, d, dimensionName(d));
  if (!meta?.dimensions.includes(state.by)) state.by = 'province';
  by.value = state.by;
  const split = $('split');
  split.textContent = '';
  option(split, '', t('none'));
  for (const d of SPLITS.filter((d) => d !== state.by && d !== 'status' && meta?.dimensions.includes(d))) option(split, d, dimensionName(d));
  if (state.split && !meta?.dimensions.includes(state.split)) state.split = '';
  split.value = state.split;
  renderTrail();
  if (state.answer) {
    draw(state.answer);
    drawHeadline(state.answer).catch((e) => setStatus(t('failed') + e.message, true));
  }
}

/** The four views: each sets the breakdown (and, for the virtual share, the indicator). */
function setView(view) {
  state.view = view;
  if (view === 'places') {
    state.by = state.filters.district ? 'facility' : state.filters.province ? 'district' : 'province';
    state.split = '';
  } else if (view === 'time') {
    state.by = 'month';
  } else if (view === 'people') {
    state.by = 'age_band';
    state.split = 'sex';
  } else if (view === 'virtual') {
    state.indicator = 'encounters';
    state.by = state.filters.province ? 'district' : 'province';
    state.split = 'mode';
  }
  location.hash = view;
  renderControls();
  return ask();
}

async function download() {
  try {
    const blob = await (await api(query('csv'))).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = state.indicator + '.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (e) {
    setStatus(t('failed') + e.message, true);
  }
}

function setStatus(text, error) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

function wire() {
  $('language').addEventListener('click', () => {
    state.lang = state.lang === 'ur' ? 'en' : 'ur';
    localStorage.setItem('sehat.dashboard.lang', state.lang);
    renderControls();
    chart.resize();
  });
  for (const button of document.querySelectorAll('#views button')) {
    button.addEventListener('click', () => setView(button.dataset.view));
  }
  $('indicator').addEventListener('change', (e) => { state.indicator = e.target.value; renderControls(); ask(); });
  for (const select of document.querySelectorAll('[data-filter]')) {
    select.addEventListener('change', async () => {
      const name = select.dataset.filter;
      if (select.value) state.filters[name] = select.value; else delete state.filters[name];
      if (name === 'province') {
        delete state.filters.district;
        await loadDistricts();
      }
      renderControls();
      ask();
    });
  }
  $('by').addEventListener('change', (e) => { state.by = e.target.value; renderControls(); ask(); });
  $('split').addEventListener('change', (e) => { state.split = e.target.value; ask(); });
  $('csv').addEventListener('click', download);
  $('controls').addEventListener('submit', (e) => e.preventDefault());
  window.addEventListener('resize', () => chart.resize());
}

async function start() {
  if (location.hostname === 'localhost') {
    // Sign-in comes back to a registered address: the loopback one is 127.0.0.1 (any port).
    location.replace(location.href.replace('//localhost', '//127.0.0.1'));
    return;
  }
  chart = echarts.init($('chart'));
  chart.on('click', (params) => {
    const category = state.answer && layout(state.answer).categories[params.dataIndex];
    if (category && drillsFrom(state.by)) drill(category);
  });
  wire();
  try {
    const restored = await completeSignIn();
    state.catalogue = await (await api('/analytics/indicators')).json();
    provinces = await placesOf('province', {});
    await loadDistricts();
    const view = location.hash.slice(1);
    state.view = ['places', 'time', 'people', 'virtual'].includes(view) ? view : 'places';
    if (restored) {
      renderControls();
      await ask();
    } else {
      await setView(state.view);
    }
    document.body.dataset.ready = 'true';
  } catch (e) {
    renderControls();
    setStatus(e instanceof SignInRefused ? t('denied') : t('failed') + e.message, true);
    document.body.dataset.ready = 'refused';
    document.body.dataset.error = e instanceof SignInRefused ? e.message : 'failed';
  }
}

document.addEventListener('DOMContentLoaded', start);
