// Small inline SVG charts: no chart library, scalable, with a <title> per bar for hover and assistive tech.
import type { ReactNode } from 'react';
import type { Stats } from '../api-types';

const WIDTH = 360;

/** The svg every chart draws in: full width, scaling with the card, named for assistive tech. */
function ChartFrame({ label, height, children }: { label: string; height: number; children: ReactNode }) {
  return (
    <svg className="chart" role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="xMinYMin meet">
      {children}
    </svg>
  );
}

/** A label cut to `max` characters with an ellipsis, so it stays inside its column. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Horizontal bars: the top skills by how many participants have them, with their average rating. */
export function SkillsChart({ skills }: { skills: Stats['top_skills'] }) {
  const top = [...skills].sort((a, b) => b.frequency - a.frequency || a.skill.localeCompare(b.skill)).slice(0, 10);
  const rowHeight = 30;
  const labelWidth = 132;
  // Room for "120 · ★3.09" after the longest bar.
  const valueWidth = 104;
  const barSpace = WIDTH - labelWidth - valueWidth;
  const max = Math.max(1, ...top.map((row) => row.frequency));
  const height = Math.max(1, top.length) * rowHeight + 4;
  return (
    <ChartFrame label="Top skills by frequency" height={height}>
      {top.length === 0 && (
        <text x={0} y={20} className="chart-label">
          No skills yet
        </text>
      )}
      {top.map((row, index) => {
        const y = index * rowHeight + 4;
        const width = Math.max(2, (row.frequency / max) * barSpace);
        const label = clip(row.skill, 15);
        return (
          <g key={row.skill} className="bar-row">
            <text x={labelWidth - 8} y={y + rowHeight / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">
              {label}
            </text>
            <rect x={labelWidth} y={y + 3} width={width} height={rowHeight - 8} rx={3} className="bar">
              <title>{`${row.skill}: ${row.frequency} participants, average ${row.average_rating}`}</title>
            </rect>
            <text x={labelWidth + width + 6} y={y + rowHeight / 2} dominantBaseline="middle" className="chart-value">
              {`${row.frequency} · ★${row.average_rating}`}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Vertical bars: check-ins per hour. */
export function CheckInsChart({ hours }: { hours: Stats['check_ins_over_time'] }) {
  // One bar per hour, whatever the buckets: counts for the same hour are added up.
  const byHour = new Map<string, number>();
  for (const row of hours) {
    const time = new Date(row.hour).getTime();
    const key = Number.isNaN(time) ? row.hour : new Date(Math.floor(time / 3_600_000) * 3_600_000).toISOString();
    byHour.set(key, (byHour.get(key) ?? 0) + row.count);
  }
  const sorted = [...byHour].map(([hour, count]) => ({ hour, count })).sort((a, b) => a.hour.localeCompare(b.hour));
  const height = 180;
  const top = 16;
  const bottom = 28;
  const left = 28;
  const plotWidth = WIDTH - left - 4;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...sorted.map((row) => row.count));
  const slot = plotWidth / Math.max(1, sorted.length);
  const labelEvery = Math.max(1, Math.ceil(sorted.length / 8));
  return (
    <ChartFrame label="Check-ins over time" height={height}>
      <line x1={left} y1={top + plotHeight} x2={WIDTH - 4} y2={top + plotHeight} className="axis" />
      <text x={left - 4} y={top + 4} textAnchor="end" className="chart-value">
        {max}
      </text>
      <text x={left - 4} y={top + plotHeight} textAnchor="end" className="chart-value">
        0
      </text>
      {sorted.length === 0 && (
        <text x={left + 8} y={top + plotHeight / 2} className="chart-label">
          No check-ins yet
        </text>
      )}
      {sorted.map((row, index) => {
        const date = new Date(row.hour);
        const hour = Number.isNaN(date.getTime()) ? row.hour : `${pad(date.getHours())}:${pad(date.getMinutes())}`;
        const barHeight = (row.count / max) * plotHeight;
        const x = left + index * slot + slot * 0.15;
        return (
          <g key={row.hour}>
            <rect
              x={x}
              y={top + plotHeight - barHeight}
              width={Math.max(1, slot * 0.7)}
              height={barHeight}
              rx={2}
              className="bar"
            >
              <title>{`${hour}: ${row.count} check-ins`}</title>
            </rect>
            {index % labelEvery === 0 && (
              <text x={x + (slot * 0.7) / 2} y={height - 10} textAnchor="middle" className="chart-value">
                {hour}
              </text>
            )}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/**
 * Horizontal bars, one per meal: participants served (filled) against everyone checked in (the whole track).
 * Archived meals stay, marked "(closed)": a finished meal keeps its uptake.
 */
export function MealUptakeChart({ meals, checkedIn }: { meals: Stats['checkpoints']; checkedIn: number }) {
  const rowHeight = 46;
  const height = Math.max(1, meals.length) * rowHeight + 4;
  const whole = Math.max(1, checkedIn);
  return (
    <ChartFrame label="Meal uptake: participants served of those checked in" height={height}>
      {meals.length === 0 && (
        <text x={0} y={20} className="chart-label">
          No meal checkpoints yet
        </text>
      )}
      {meals.map((meal, index) => {
        const y = index * rowHeight + 4;
        const served = Math.min(1, meal.participants / whole);
        const percent = Math.round((meal.participants / whole) * 100);
        const short = clip(meal.name, 28);
        const name = meal.archived ? `${short} (closed)` : short;
        return (
          <g key={meal.id}>
            <text x={0} y={y + 13} className="chart-label">
              {name}
            </text>
            <text x={WIDTH} y={y + 13} textAnchor="end" className="chart-value">
              {`${meal.participants} of ${checkedIn} · ${percent}%`}
            </text>
            <rect x={0} y={y + 20} width={WIDTH} height={16} rx={3} className="bar-track" />
            <rect
              x={0}
              y={y + 20}
              width={Math.max(meal.participants > 0 ? 2 : 0, served * WIDTH)}
              height={16}
              rx={3}
              className="bar"
            >
              <title>{`${meal.name}${meal.archived ? ' (closed)' : ''}: ${meal.participants} served of ${checkedIn} checked in; ${meal.refused} refused scans`}</title>
            </rect>
          </g>
        );
      })}
    </ChartFrame>
  );
}
