import { ScreenHeading } from '../components/Heading';
import { AuditLog } from './AuditLog';
import { DataExports } from './DataExports';
import { DataImport } from './DataImport';
import { Webhooks } from './Webhooks';
import './data.css';

const SECTIONS = [
  ['import', 'Import'],
  ['exports', 'Exports'],
  ['webhooks', 'Webhooks'],
  ['audit', 'Audit log'],
] as const;
type Section = (typeof SECTIONS)[number][0];

const isSection = (value: string | undefined): value is Section => SECTIONS.some(([path]) => path === value);

/**
 * #/data (admin): #/data/import (participants from a CSV), #/data/exports, #/data/webhooks[/<id>] (an endpoint's
 * deliveries) and #/data/audit. Each section is a route, so the browser's back button and a shared link work.
 */
export function DataScreen({ path }: { path: string[] }) {
  const [first, second] = path;
  const section: Section = isSection(first) ? first : 'import';
  return (
    <section className="screen wide data-screen">
      <ScreenHeading>Data</ScreenHeading>
      <p className="lead">
        Bring participants in, take the event&rsquo;s data out, tell other tools what happens, see who changed what.
      </p>
      <nav className="tabs data-tabs" aria-label="Data">
        {SECTIONS.map(([value, label]) => (
          <a
            key={value}
            className="button secondary"
            href={`#/data/${value}`}
            aria-current={section === value ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      {section === 'import' && <DataImport />}
      {section === 'exports' && <DataExports />}
      {section === 'webhooks' && <Webhooks endpointId={second} />}
      {section === 'audit' && <AuditLog />}
    </section>
  );
}
