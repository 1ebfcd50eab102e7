/**
 * Where the toolbar button is pinned, drawn in the page's own colours (light or dark): the
 * toolbar, its extensions menu (the puzzle piece) open, and what to click ringed in the accent colour.
 */
import type { ComponentChildren } from 'preact';
import { t } from '../shared/i18n';

/** A puzzle piece, the extensions menu's button in both browsers, 16 units wide at (x, y). */
const puzzle = (x: number, y: number) => <path class="pic-icon" transform={`translate(${x} ${y})`} d="M2 5h3.5a2.5 2.5 0 1 1 5 0H14v3.5a2.5 2.5 0 1 1 0 5V15H2z" />;

function Toolbar({ menuButton }: { menuButton: string }) {
  return (
    <>
      <rect class="pic-bar" x="0.5" y="0.5" width="339" height="44" rx="8" />
      <rect class="pic-field" x="44" y="11" width="190" height="23" rx="11.5" />
      <circle class="pic-line" cx="20" cy="22.5" r="6" />
      {puzzle(262, 14)}
      <circle class="pic-mark" cx="270" cy="22.5" r="14" />
      <text class="pic-small" x="312" y="27" text-anchor="middle">
        {menuButton}
      </text>
    </>
  );
}

/** One extension's row in the menu: its icon, its name, and a control at the right end. */
function Row({ y, name, children }: { y: number; name: string | null; children: ComponentChildren }) {
  return (
    <g transform={`translate(0 ${y})`}>
      <rect class={name ? 'pic-accent' : 'pic-line'} x="112" y="-8" width="16" height="16" rx="3" />
      {name ? (
        <text class="pic-text" x="138" y="5">
          {name}
        </text>
      ) : (
        <rect class="pic-line" x="138" y="-4" width="110" height="8" rx="4" />
      )}
      {children}
    </g>
  );
}

const pin = <path class="pic-icon" d="M-4 -8h8l-1.5 6 3.5 3.5h-12l3.5-3.5z M0 1.5v7" />;

export function ChromePinPicture() {
  return (
    <svg class="picture" viewBox="0 0 340 170" role="img" aria-label={t('welcomeChromeAlt')}>
      <Toolbar menuButton="⋮" />
      <rect class="pic-panel" x="98" y="52" width="236" height="112" rx="8" />
      <rect class="pic-line" x="112" y="66" width="80" height="8" rx="4" />
      <Row y={100} name="TimeTonic Companion">
        <g transform="translate(306 0)">
          {pin}
          <circle class="pic-mark" r="13" />
        </g>
      </Row>
      <Row y={136} name={null}>
        <g transform="translate(306 0)">{pin}</g>
      </Row>
    </svg>
  );
}

export function FirefoxPinPicture() {
  return (
    <svg class="picture" viewBox="0 0 340 170" role="img" aria-label={t('welcomeFirefoxAlt')}>
      <Toolbar menuButton="≡" />
      <rect class="pic-panel" x="98" y="52" width="236" height="64" rx="8" />
      <Row y={70} name="TimeTonic Companion">
        <g transform="translate(306 0)">
          <circle class="pic-icon" r="5.5" stroke-dasharray="2.2 1.6" stroke-width="3" />
          <circle class="pic-icon" r="1.8" />
          <circle class="pic-mark" r="13" />
        </g>
      </Row>
      <Row y={98} name={null}>
        <g transform="translate(306 0)">
          <circle class="pic-icon" r="5.5" stroke-dasharray="2.2 1.6" stroke-width="3" />
        </g>
      </Row>
      <rect class="pic-panel" x="112" y="92" width="222" height="72" rx="6" />
      <rect class="pic-line" x="126" y="106" width="100" height="8" rx="4" />
      <rect class="pic-choice" x="118" y="122" width="210" height="24" rx="4" />
      <text class="pic-text" x="128" y="138">
        {t('welcomePinFirefoxItem')}
      </text>
    </svg>
  );
}
