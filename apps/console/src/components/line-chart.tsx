import type { ReactNode } from 'react';

export interface ChartSeries {
  name: string;
  values: number[];
}

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];
const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 48, right: 8, top: 8, bottom: 22 };

/** A small inline-SVG line chart (one line per series) with a y scale, the first and last time, and a legend. */
export function LineChart(props: { title: string; series: ChartSeries[]; times: number[]; format: (value: number) => string }): ReactNode {
  const max = Math.max(1, ...props.series.flatMap((series) => series.values));
  const count = props.times.length;
  const x = (index: number): number => PAD.left + (count <= 1 ? 0 : (index / (count - 1)) * (WIDTH - PAD.left - PAD.right));
  const y = (value: number): number => PAD.top + (1 - value / max) * (HEIGHT - PAD.top - PAD.bottom);
  const time = (at: number | undefined): string =>
    at === undefined ? '' : new Date(at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  const summary = props.series.map((series) => `${series.name}: ${props.format(series.values.reduce((a, b) => a + b, 0))}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${props.title}. ${summary || 'No data.'}`} preserveAspectRatio="none">
        <line x1={PAD.left} y1={y(0)} x2={WIDTH - PAD.right} y2={y(0)} className="axis" />
        <line x1={PAD.left} y1={y(max)} x2={WIDTH - PAD.right} y2={y(max)} className="grid" />
        <text x={PAD.left - 4} y={y(max) + 4} textAnchor="end" className="tick">
          {props.format(max)}
        </text>
        <text x={PAD.left - 4} y={y(0) + 4} textAnchor="end" className="tick">
          0
        </text>
        <text x={PAD.left} y={HEIGHT - 4} className="tick">
          {time(props.times[0])}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end" className="tick">
          {time(props.times[count - 1])}
        </text>
        {props.series.map((series, index) => (
          <polyline
            key={series.name}
            fill="none"
            stroke={PALETTE[index % PALETTE.length]}
            strokeWidth={2}
            points={series.values.map((value, i) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <ul className="legend">
        {props.series.map((series, index) => (
          <li key={series.name}>
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill={PALETTE[index % PALETTE.length]} />
            </svg>{' '}
            {series.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
