// Draws the board pictures resources/boards/pico-w.svg and esp32-devkitc.svg
// (our own drawings, from the boards' published pin orders). Run it after a
// change: `node scripts/draw-board-pictures.mjs`. The markup follows the
// convention renderer/src/board/board-picture.ts documents.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'boards');
const f = (n) => Number(n.toFixed(1));

/** A header pin: hole, pill label outside the board, level dot for GPIOs. */
function pin(b, side, index, p) {
  const y = f(b.pinTop + index * b.pitch);
  const hole = side === 'left' ? b.x0 + b.holeInset : b.x1 - b.holeInset;
  const dir = side === 'left' ? -1 : 1;
  const edge = side === 'left' ? b.x0 : b.x1;
  const dotX = f(edge + dir * 10);
  const pillW = b.pillW;
  const pillX = side === 'left' ? f(edge - 18 - pillW) : f(edge + 18);
  const textX = side === 'left' ? f(pillX + pillW - 5) : f(pillX + 5);
  const anchor = side === 'left' ? 'end' : 'start';
  const gpio = p.gpio !== undefined ? ` data-gpio="${p.gpio}"` : '';
  const tag = p.tag ? `<tspan class="mote-tag" dx="3">${p.tag}</tspan>` : '';
  const title = p.title ? `<title>${p.title}</title>` : '';
  const label = side === 'left' && p.tag ? `<tspan class="mote-tag">${p.tag}</tspan><tspan dx="3">${p.label}</tspan>` : `${p.label}${tag}`;
  return [
    `  <g class="mote-pin" data-pin="${p.n}"${gpio}>${title}`,
    `    <circle cx="${hole}" cy="${y}" r="6.5" fill="#d8b24a"/><circle cx="${hole}" cy="${y}" r="3.3" fill="${b.holeColor}"/>`,
    `    <rect class="mote-pill-${p.kind}" x="${pillX}" y="${f(y - 8)}" width="${pillW}" height="16" rx="4"/>`,
    `    <text class="mote-label mote-text-${p.kind}" x="${textX}" y="${y}" text-anchor="${anchor}">${label}</text>`,
    p.gpio !== undefined ? `    <circle class="mote-pin-dot" data-gpio="${p.gpio}" cx="${dotX}" cy="${y}" r="3.6"/>` : '',
    '  </g>',
  ]
    .filter(Boolean)
    .join('\n');
}

function style(ledOn, ledGlow) {
  return `  <style>
    .mote-board text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
    .mote-silk { fill: #f1f5f2; }
    .mote-label { font-size: 9.5px; dominant-baseline: central; }
    .mote-tag { font-size: 7px; fill-opacity: 0.7; }
    .mote-pill-gpio { fill: #2e5b47; } .mote-text-gpio { fill: #e3fbea; }
    .mote-pill-input { fill: #3c4f6b; } .mote-text-input { fill: #e2ecff; }
    .mote-pill-gnd { fill: #0b0d0c; } .mote-text-gnd { fill: #b5bab7; }
    .mote-pill-power { fill: #8c2f2f; } .mote-text-power { fill: #ffecec; }
    .mote-pill-misc { fill: #44465a; } .mote-text-misc { fill: #e6e7f2; }
    .mote-pin-dot { opacity: 0; fill: #2a2f2c; stroke: #7d8781; stroke-width: 1; }
    .mote-pin-dot[data-level="0"] { opacity: 1; }
    .mote-pin-dot[data-level="1"] { opacity: 1; fill: #7dff5a; stroke: #d4ffc4; }
    .mote-led-glow { opacity: 0; }
    .mote-led-body { fill: #3a4640; stroke: #1a261d; stroke-width: 0.8; }
    [data-on="true"] .mote-led-glow { opacity: 1; }
    [data-on="true"] .mote-led-body { fill: ${ledOn}; stroke: ${ledGlow}; }
    .mote-button { cursor: pointer; outline: none; }
    .mote-button-cap { fill: #262a2e; stroke: #0c0d0e; stroke-width: 1.5; transform-box: fill-box; transform-origin: center; }
    .mote-button:hover .mote-button-cap { fill: #30363b; }
    .mote-button:focus-visible .mote-button-base { stroke: #8ab4ff; stroke-width: 2.5; }
    .mote-button[data-pressed="true"] .mote-button-cap { fill: #15181a; transform: scale(0.9); }
    .mote-button[data-pressed="true"] .mote-button-ring { stroke: #ffd166; }
  </style>`;
}

function led({ prefix, gpio, cx, cy, label, sub, w = 12, h = 8 }) {
  return `  <g data-testid="led" data-on="false" class="mote-led" data-gpio-led="${gpio}">
    <circle class="mote-led-glow" cx="${cx}" cy="${cy}" r="30" fill="url(#${prefix}-led-glow)"/>
    <rect class="mote-led-body" x="${f(cx - w / 2)}" y="${f(cy - h / 2)}" width="${w}" height="${h}" rx="2"/>
    <text class="mote-silk" x="${cx}" y="${cy + 17}" text-anchor="middle" font-size="8.5" font-weight="700">${label}</text>
    <text class="mote-silk" x="${cx}" y="${cy + 26}" text-anchor="middle" font-size="6" fill-opacity="0.75">${sub}</text>
  </g>`;
}

function button({ gpio, cx, cy, size, label, sub, aria, testid = true }) {
  const s = size;
  const h = s / 2;
  const attrs = testid
    ? `data-testid="board-button" class="mote-button" data-pressed="false" data-gpio-button="${gpio}" role="button" tabindex="0" aria-label="${aria}"`
    : `class="mote-board-part" aria-hidden="true"`;
  return `  <g ${attrs}>
    <rect x="${f(cx - h - 4)}" y="${f(cy - h - 4)}" width="${s + 8}" height="${s + 8}" fill="transparent"/>
    <rect x="${f(cx - h - 1)}" y="${f(cy - h + 2)}" width="5" height="6" fill="#b9bec4"/><rect x="${f(cx + h - 4)}" y="${f(cy - h + 2)}" width="5" height="6" fill="#b9bec4"/>
    <rect x="${f(cx - h - 1)}" y="${f(cy + h - 8)}" width="5" height="6" fill="#b9bec4"/><rect x="${f(cx + h - 4)}" y="${f(cy + h - 8)}" width="5" height="6" fill="#b9bec4"/>
    <rect class="mote-button-base" x="${f(cx - h + 3)}" y="${f(cy - h + 3)}" width="${s - 6}" height="${s - 6}" rx="3" fill="#e6e8ea" stroke="#8e959b" stroke-width="1.2"/>
    <circle class="mote-button-ring" cx="${cx}" cy="${cy}" r="${f(s * 0.3)}" fill="#c9cdd1" stroke="#7b8288" stroke-width="1.2"/>
    <circle class="${testid ? 'mote-button-cap' : ''}" cx="${cx}" cy="${cy}" r="${f(s * 0.22)}" fill="#2b2f33"/>
    <text class="mote-silk" x="${cx}" y="${f(cy + h + 10)}" text-anchor="middle" font-size="8.5" font-weight="700">${label}</text>
    ${sub ? `<text class="mote-silk" x="${cx}" y="${f(cy + h + 19)}" text-anchor="middle" font-size="6" fill-opacity="0.75">${sub}</text>` : ''}
  </g>`;
}

function chip({ x, y, w, h, legs, title, sub, fill = '#1b1d1f' }) {
  const out = [`  <g aria-hidden="true">`, `    <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="2.5" fill="${fill}" stroke="#0a0b0c"/>`];
  for (let i = 0; i < legs; i++) {
    const t = (i + 0.5) / legs;
    out.push(
      `    <rect x="${f(x + t * w - 1.2)}" y="${y - 4}" width="2.4" height="4" fill="#b9bec4"/><rect x="${f(x + t * w - 1.2)}" y="${y + h}" width="2.4" height="4" fill="#b9bec4"/>` +
        `<rect x="${x - 4}" y="${f(y + t * h - 1.2)}" width="4" height="2.4" fill="#b9bec4"/><rect x="${x + w}" y="${f(y + t * h - 1.2)}" width="4" height="2.4" fill="#b9bec4"/>`,
    );
  }
  out.push(`    <circle cx="${x + 7}" cy="${y + 7}" r="2.2" fill="#34383c"/>`);
  out.push(`    <text x="${x + w / 2}" y="${y + h / 2 - 2}" text-anchor="middle" font-size="9" font-weight="700" fill="#c9ced3">${title}</text>`);
  if (sub) out.push(`    <text x="${x + w / 2}" y="${y + h / 2 + 10}" text-anchor="middle" font-size="6" fill="#8f969c">${sub}</text>`);
  out.push('  </g>');
  return out.join('\n');
}

function gradients(prefix, pcbA, pcbB, glow) {
  return `  <defs>
    <radialGradient id="${prefix}-led-glow">
      <stop offset="0" stop-color="${glow[0]}" stop-opacity="0.95"/>
      <stop offset="0.35" stop-color="${glow[1]}" stop-opacity="0.55"/>
      <stop offset="1" stop-color="${glow[1]}" stop-opacity="0"/>
    </radialGradient>
    <linearGradient id="${prefix}-pcb" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${pcbA}"/>
      <stop offset="1" stop-color="${pcbB}"/>
    </linearGradient>
    <linearGradient id="${prefix}-metal" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#d9dde0"/>
      <stop offset="0.5" stop-color="#aeb4b9"/>
      <stop offset="1" stop-color="#c8cdd1"/>
    </linearGradient>
  </defs>`;
}

function usb(cx, y, flip = false) {
  const body = `<rect x="${cx - 28}" y="${y}" width="56" height="30" rx="3" fill="url(#USBGRAD)" stroke="#6b7177"/>`;
  const slot = flip ? `<rect x="${cx - 21}" y="${y + 22}" width="42" height="6" rx="2" fill="#3b4046"/>` : `<rect x="${cx - 21}" y="${y + 2}" width="42" height="6" rx="2" fill="#3b4046"/>`;
  return `  ${body}\n  ${slot}`;
}

// ---------------------------------------------------------------- Pico W
function picoW() {
  const P = 'pw';
  const b = { x0: 110, x1: 320, pinTop: 50, pitch: 25.4, holeInset: 14, pillW: 62, holeColor: '#0e1f14' };
  const g = (n, gp, tag, title) => ({ n, gpio: gp, label: `GP${gp}`, kind: 'gpio', tag, title });
  const gnd = (n) => ({ n, label: 'GND', kind: 'gnd' });
  const left = [g(1, 0, 'TX0'), g(2, 1, 'RX0'), gnd(3), g(4, 2), g(5, 3), g(6, 4, 'SDA0'), g(7, 5, 'SCL0'), gnd(8), g(9, 6), g(10, 7), g(11, 8), g(12, 9), gnd(13), g(14, 10), g(15, 11), g(16, 12), g(17, 13), gnd(18), g(19, 14), g(20, 15)];
  const right = [
    { n: 40, label: 'VBUS', kind: 'power' },
    { n: 39, label: 'VSYS', kind: 'power' },
    gnd(38),
    { n: 37, label: '3V3_EN', kind: 'misc' },
    { n: 36, label: '3V3', kind: 'power', title: '3V3 (OUT)' },
    { n: 35, label: 'VREF', kind: 'misc', title: 'ADC_VREF' },
    g(34, 28, 'A2', 'GP28, ADC2'),
    { n: 33, label: 'AGND', kind: 'gnd' },
    g(32, 27, 'A1', 'GP27, ADC1'),
    g(31, 26, 'A0', 'GP26, ADC0'),
    { n: 30, label: 'RUN', kind: 'misc' },
    g(29, 22),
    gnd(28),
    g(27, 21),
    g(26, 20),
    g(25, 19, 'MOSI'),
    g(24, 18, 'SCK'),
    gnd(23),
    g(22, 17),
    g(21, 16, 'MISO'),
  ];
  const h = b.pinTop + 19 * b.pitch + 26;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 430 ${h + 12}" width="430" height="${h + 12}" class="mote-board" role="img" aria-labelledby="${P}-title">`);
  out.push(`  <title id="${P}-title">Raspberry Pi Pico W</title>`);
  out.push(`  <!-- Drawn for Mote Studio (scripts/draw-board-pictures.mjs). Parts the IDE drives:
       [data-testid=led][data-gpio-led=64]   the LED, on the CYW43 wireless chip (Pin("LED"))
       [data-testid=board-button]            BOOTSEL (not a GPIO: read with rp2.bootsel_button())
       .mote-pin-dot[data-gpio=N]            level of GPIO N when it is an output -->`);
  out.push(gradients(P, '#23834a', '#17663a', ['#b9ff9c', '#5dff3a']).replace('</defs>', `  <linearGradient id="${P}-usb" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#9aa1a8"/><stop offset="0.5" stop-color="#e3e7ea"/><stop offset="1" stop-color="#9aa1a8"/></linearGradient>\n  </defs>`));
  out.push(style('#c6ffb0', '#7dff5a'));
  out.push(`  <rect x="${b.x0}" y="24" width="${b.x1 - b.x0}" height="${h - 24}" rx="9" fill="url(#${P}-pcb)" stroke="#0f4a28" stroke-width="1.5"/>`);
  out.push(`  <rect x="${b.x0 + 4}" y="28" width="${b.x1 - b.x0 - 8}" height="${h - 32}" rx="6" fill="none" stroke="#2f9a5a" stroke-opacity="0.35"/>`);
  for (const [cx, cy] of [[150, 40], [280, 40], [150, h - 16], [280, h - 16]]) out.push(`  <circle cx="${cx}" cy="${cy}" r="6.5" fill="#d8b24a"/><circle cx="${cx}" cy="${cy}" r="3.8" fill="#101a14"/>`);
  out.push(usb(215, 8).replace('USBGRAD', `${P}-usb`));
  // traces, decorative
  out.push(`  <g fill="none" stroke="#2fa060" stroke-opacity="0.5" stroke-width="2" stroke-linecap="round">
    <path d="M 215 38 L 215 196"/><path d="M 124 75.4 L 160 75.4 L 178 210"/><path d="M 306 253.8 L 270 253.8 L 252 238"/>
    <path d="M 215 306 L 215 380"/><path d="M 306 304.6 L 272 304.6 L 250 380"/>
  </g>`);
  out.push(chip({ x: 180, y: 200, w: 70, h: 70, legs: 8, title: 'RP2040', sub: 'Raspberry Pi' }));
  out.push(`  <rect x="255" y="96" width="34" height="22" rx="2" fill="#1f2123" stroke="#0a0b0c"/><text x="272" y="110" text-anchor="middle" font-size="6" fill="#80878d">FLASH</text>`);
  // CYW43439 under its shield, and the antenna at the far end
  out.push(`  <g aria-hidden="true">
    <rect x="172" y="380" width="86" height="74" rx="3" fill="url(#${P}-metal)" stroke="#7d848a"/>
    <rect x="176" y="384" width="78" height="66" rx="2" fill="none" stroke="#ffffff" stroke-opacity="0.35"/>
    <text x="215" y="414" text-anchor="middle" font-size="8.5" font-weight="700" fill="#4b5257">CYW43439</text>
    <text x="215" y="426" text-anchor="middle" font-size="6" fill="#5d6469">Wi-Fi · Bluetooth</text>
    <path d="M 150 ${h - 40} h 14 v -12 h 14 v 12 h 14 v -12 h 14 v 12 h 14 v -12 h 14 v 12 h 14 v -12 h 14 v 12 h 14" fill="none" stroke="#d8b24a" stroke-width="2.4" stroke-linejoin="round"/>
    <text x="215" y="${h - 22}" text-anchor="middle" font-size="6" fill="#eaf7ee" fill-opacity="0.6">ANTENNA</text>
  </g>`);
  out.push(led({ prefix: P, gpio: 64, cx: 174, cy: 66, label: 'LED', sub: 'Pin("LED")' }));
  out.push(button({ gpio: 67, cx: 215, cy: 140, size: 36, label: 'BOOTSEL', sub: 'rp2.bootsel_button()', aria: 'BOOTSEL button (hold to press)' }));
  out.push(`  <text class="mote-silk" x="215" y="312" text-anchor="middle" font-size="14" font-weight="700" letter-spacing="1.2">Pico W</text>`);
  out.push(`  <text class="mote-silk" x="215" y="326" text-anchor="middle" font-size="7.5" fill-opacity="0.85">Raspberry Pi</text>`);
  out.push(`  <g aria-hidden="true"><rect x="198" y="348" width="7" height="9" rx="1.5" fill="#d8b24a"/><rect x="211.5" y="348" width="7" height="9" rx="1.5" fill="#d8b24a"/><rect x="225" y="348" width="7" height="9" rx="1.5" fill="#d8b24a"/>
    <text class="mote-silk" x="215" y="344" text-anchor="middle" font-size="5.5" fill-opacity="0.7">DEBUG</text></g>`);
  left.forEach((p, i) => out.push(pin(b, 'left', i, p)));
  right.forEach((p, i) => out.push(pin(b, 'right', i, p)));
  out.push(`  <text class="mote-silk" x="${b.x0 + 28}" y="${b.pinTop}" font-size="7" dominant-baseline="central" text-anchor="middle" fill-opacity="0.8">1</text>`);
  out.push(`  <text class="mote-silk" x="${b.x1 - 28}" y="${b.pinTop}" font-size="7" dominant-baseline="central" text-anchor="middle" fill-opacity="0.8">40</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

// ---------------------------------------------------------------- ESP32-DevKitC
function esp32() {
  const P = 'e32';
  const b = { x0: 110, x1: 330, pinTop: 92, pitch: 25.4, holeInset: 13, pillW: 62, holeColor: '#0b0f1a' };
  const io = (n, gp, tag, kind = 'gpio', title) => ({ n, gpio: gp, label: `IO${gp}`, kind, tag, title });
  const gnd = (n) => ({ n, label: 'GND', kind: 'gnd' });
  // J2 and J3 top to bottom, antenna end up (Espressif's DevKitC V4 pin order).
  const left = [
    { n: 'J2-1', label: '3V3', kind: 'power' },
    { n: 'J2-2', label: 'EN', kind: 'misc', title: 'EN: reset' },
    io('J2-3', 36, 'VP', 'input', 'GPIO36 (SENSOR_VP): input only, ADC1'),
    io('J2-4', 39, 'VN', 'input', 'GPIO39 (SENSOR_VN): input only, ADC1'),
    io('J2-5', 34, 'in', 'input', 'GPIO34: input only, ADC1'),
    io('J2-6', 35, 'in', 'input', 'GPIO35: input only, ADC1'),
    io('J2-7', 32, 'A1'),
    io('J2-8', 33, 'A1'),
    io('J2-9', 25, 'SCL1'),
    io('J2-10', 26, 'SDA1'),
    io('J2-11', 27),
    io('J2-12', 14, 'SCK1'),
    io('J2-13', 12, 'MISO'),
    gnd('J2-14'),
    io('J2-15', 13, 'MOSI'),
    io('J2-16', 9, 'SD2', 'gpio', 'GPIO9 (SD2): wired to the module flash'),
    io('J2-17', 10, 'SD3', 'gpio', 'GPIO10 (SD3): wired to the module flash'),
    io('J2-18', 11, 'CMD', 'gpio', 'GPIO11 (CMD): wired to the module flash'),
    { n: 'J2-19', label: '5V', kind: 'power' },
  ];
  const right = [
    gnd('J3-1'),
    io('J3-2', 23, 'MOSI'),
    io('J3-3', 22),
    io('J3-4', 1, 'TX0', 'gpio', 'GPIO1: the REPL serial line (TX)'),
    io('J3-5', 3, 'RX0', 'gpio', 'GPIO3: the REPL serial line (RX)'),
    io('J3-6', 21),
    gnd('J3-7'),
    io('J3-8', 19, 'SDA0'),
    io('J3-9', 18, 'SCL0'),
    io('J3-10', 5),
    io('J3-11', 17, 'TX2'),
    io('J3-12', 16, 'RX2'),
    io('J3-13', 4),
    io('J3-14', 0, 'BOOT'),
    io('J3-15', 2, 'LED'),
    io('J3-16', 15),
    io('J3-17', 8, 'SD1', 'gpio', 'GPIO8 (SD1): wired to the module flash'),
    io('J3-18', 7, 'SD0', 'gpio', 'GPIO7 (SD0): wired to the module flash'),
    io('J3-19', 6, 'CLK', 'gpio', 'GPIO6 (CLK): wired to the module flash'),
  ];
  const h = b.pinTop + 18 * b.pitch + 70;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 440 ${h + 20}" width="440" height="${h + 20}" class="mote-board" role="img" aria-labelledby="${P}-title">`);
  out.push(`  <title id="${P}-title">ESP32-DevKitC</title>`);
  out.push(`  <!-- Drawn for Mote Studio (scripts/draw-board-pictures.mjs). Parts the IDE drives:
       [data-testid=led][data-gpio-led=2]    an LED on GPIO 2 (the DevKitC itself has only a power LED)
       [data-testid=board-button]            BOOT, from GPIO 0 to GND
       .mote-pin-dot[data-gpio=N]            level of GPIO N when it is an output -->`);
  out.push(gradients(P, '#1d2433', '#12161f', ['#cfe6ff', '#3d9bff']).replace('</defs>', `  <linearGradient id="${P}-usb" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#9aa1a8"/><stop offset="0.5" stop-color="#e3e7ea"/><stop offset="1" stop-color="#9aa1a8"/></linearGradient>\n  </defs>`));
  out.push(style('#d5ecff', '#4aa8ff'));
  out.push(`  <rect x="${b.x0}" y="10" width="${b.x1 - b.x0}" height="${h - 10}" rx="6" fill="url(#${P}-pcb)" stroke="#06080c" stroke-width="1.5"/>`);
  out.push(`  <rect x="${b.x0 + 4}" y="14" width="${b.x1 - b.x0 - 8}" height="${h - 18}" rx="4" fill="none" stroke="#5d6f91" stroke-opacity="0.35"/>`);
  // ESP32-WROOM-32 module: antenna end, then the shield
  out.push(`  <g aria-hidden="true">
    <rect x="150" y="18" width="140" height="222" rx="3" fill="#1a1d22" stroke="#05070a"/>
    <path d="M 162 30 h 110 v 10 h -100 v 10 h 100 v 10 h -100 v 10 h 100" fill="none" stroke="#c9a64a" stroke-width="2.2" stroke-linejoin="round"/>
    <rect x="158" y="86" width="124" height="146" rx="2.5" fill="url(#${P}-metal)" stroke="#7d848a"/>
    <rect x="162" y="90" width="116" height="138" rx="2" fill="none" stroke="#ffffff" stroke-opacity="0.35"/>
    <text x="220" y="140" text-anchor="middle" font-size="11" font-weight="700" fill="#43494e">ESP32-WROOM-32</text>
    <text x="220" y="156" text-anchor="middle" font-size="7" fill="#5d6469">Wi-Fi · Bluetooth</text>
    <text x="220" y="206" text-anchor="middle" font-size="6.5" fill="#5d6469">ESPRESSIF</text>
  </g>`);
  out.push(chip({ x: 192, y: 292, w: 48, h: 48, legs: 6, title: 'USB', sub: 'to UART', fill: '#202329' }));
  out.push(`  <rect x="178" y="372" width="30" height="18" rx="2" fill="#202329" stroke="#05070a"/><text x="193" y="384" text-anchor="middle" font-size="5.5" fill="#7d858e">LDO</text>`);
  out.push(`  <text class="mote-silk" x="220" y="264" text-anchor="middle" font-size="13" font-weight="700" letter-spacing="1">ESP32-DevKitC</text>`);
  out.push(`  <text class="mote-silk" x="220" y="277" text-anchor="middle" font-size="7" fill-opacity="0.8">ESP32 · Espressif</text>`);
  // power LED (always on), then the LED the programs blink
  out.push(`  <g aria-hidden="true"><rect x="250" y="380" width="10" height="7" rx="1.5" fill="#ff4b3e"/><circle cx="255" cy="383.5" r="9" fill="#ff4b3e" fill-opacity="0.25"/>
    <text class="mote-silk" x="255" y="398" text-anchor="middle" font-size="6" fill-opacity="0.75">PWR</text></g>`);
  out.push(led({ prefix: P, gpio: 2, cx: 285, cy: 420, label: 'LED', sub: 'GPIO 2 (add-on)' }));
  out.push(button({ gpio: -1, cx: 150, cy: h - 40, size: 34, label: 'EN', sub: 'reset', aria: '', testid: false }));
  out.push(button({ gpio: 0, cx: 290, cy: h - 40, size: 34, label: 'BOOT', sub: 'GPIO 0 · active low', aria: 'BOOT button on GPIO 0 (hold to press)' }));
  out.push(usb(220, h - 22, true).replace('USBGRAD', `${P}-usb`));
  left.forEach((p, i) => out.push(pin(b, 'left', i, p)));
  right.forEach((p, i) => out.push(pin(b, 'right', i, p)));
  out.push(`  <text class="mote-silk" x="${b.x0 + 26}" y="${b.pinTop - 16}" font-size="7" text-anchor="middle" fill-opacity="0.8">J2</text>`);
  out.push(`  <text class="mote-silk" x="${b.x1 - 26}" y="${b.pinTop - 16}" font-size="7" text-anchor="middle" fill-opacity="0.8">J3</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

writeFileSync(path.join(OUT, 'pico-w.svg'), picoW());
writeFileSync(path.join(OUT, 'esp32-devkitc.svg'), esp32());
console.log('wrote pico-w.svg and esp32-devkitc.svg');
