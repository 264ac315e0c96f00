import { useState, type FormEvent } from 'react';
import { errorText } from '../api';
import { Alert, Status } from '../components/Messages';
import { MyData } from '../components/MyData';
import { ScreenHeading } from '../components/Heading';
import { useParticipant, useSession } from '../context';
import { useIntent } from '../hooks';
import type { SkillRating } from '../api-types';

interface SkillRow extends SkillRating {
  /** A stable React key while rows are added and removed. */
  rowId: number;
}

let nextRowId = 1;
const toRows = (skills: SkillRating[]): SkillRow[] => skills.map((skill) => ({ ...skill, rowId: nextRowId++ }));

/** #/profile: name, company, contact details, dietary restrictions and skills with ratings; the tags the organisers gave. */
export function ProfileScreen() {
  const participant = useParticipant();
  const { refreshMe } = useSession();
  const [fields, setFields] = useState({
    name: participant.name,
    company: participant.company,
    email: participant.email,
    phone: participant.phone,
    dietary_restrictions: participant.dietary_restrictions,
  });
  const [skills, setSkills] = useState<SkillRow[]>(() => toRows(participant.skills));
  const saving = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const edit = (field: keyof typeof fields) => (event: { target: { value: string } }) => {
    setStatus('');
    setFields((current) => ({ ...current, [field]: event.target.value }));
  };

  function editSkill(rowId: number, patch: Partial<SkillRating>) {
    setStatus('');
    setSkills((rows) => rows.map((row) => (row.rowId === rowId ? { ...row, ...patch } : row)));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    setError('');
    const cleaned = skills.map((row) => ({ skill: row.skill.trim(), rating: row.rating })).filter((row) => row.skill !== '');
    const names = new Set<string>();
    for (const row of cleaned) {
      const key = row.skill.toLowerCase();
      if (names.has(key)) {
        setError(`${row.skill} is listed twice.`);
        return;
      }
      names.add(key);
    }
    try {
      await saving.send('PUT', `/users/${participant.id}`, { ...fields, skills: cleaned });
      setSkills(toRows(cleaned));
      await refreshMe().catch(() => undefined);
      setStatus('Saved');
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <section className="screen">
      <ScreenHeading>My profile</ScreenHeading>
      <section className="card" aria-labelledby="profile-tags-title">
        <h2 id="profile-tags-title">My tags</h2>
        {participant.tags.length === 0 ? (
          <p className="muted">No tags.</p>
        ) : (
          <p>
            {participant.tags.map((tag, index) => (
              <span key={tag}>
                {index > 0 && ' '}
                <span className="tag">{tag}</span>
              </span>
            ))}
          </p>
        )}
        <p className="muted small">The organisers set these: they decide, for example, which meal group you are in.</p>
      </section>
      <form className="card form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <div className="field">
          <label htmlFor="profile-name">Name</label>
          <input id="profile-name" value={fields.name} onChange={edit('name')} autoComplete="name" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="profile-company">Company</label>
          <input
            id="profile-company"
            value={fields.company}
            onChange={edit('company')}
            autoComplete="organization"
            maxLength={200}
          />
        </div>
        <div className="field">
          <label htmlFor="profile-email">Email</label>
          <input
            id="profile-email"
            type="email"
            value={fields.email}
            onChange={edit('email')}
            autoComplete="email"
            maxLength={200}
          />
        </div>
        <div className="field">
          <label htmlFor="profile-phone">Phone</label>
          <input id="profile-phone" type="tel" value={fields.phone} onChange={edit('phone')} autoComplete="tel" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="profile-dietary">Dietary restrictions</label>
          <input
            id="profile-dietary"
            value={fields.dietary_restrictions}
            onChange={edit('dietary_restrictions')}
            aria-describedby="profile-dietary-hint"
            maxLength={200}
          />
          <p id="profile-dietary-hint" className="muted small">
            Allergies or diets the meal volunteers should know about, such as &quot;vegetarian, no peanuts&quot;. Leave empty if
            none.
          </p>
        </div>

        <fieldset className="skills">
          <legend>Skills</legend>
          <p className="muted small">Rate each from 1 (learning) to 5 (expert).</p>
          {skills.length === 0 && <p className="muted">No skills yet.</p>}
          {skills.map((row, index) => (
            <fieldset key={row.rowId} className="skill-row">
              <legend className="visually-hidden">Skill {index + 1}</legend>
              <div className="field">
                <label htmlFor={`skill-${row.rowId}`}>Skill</label>
                <input
                  id={`skill-${row.rowId}`}
                  value={row.skill}
                  onChange={(event) => editSkill(row.rowId, { skill: event.target.value })}
                  maxLength={100}
                />
              </div>
              <div className="field rating">
                <label htmlFor={`rating-${row.rowId}`}>Rating</label>
                <select
                  id={`rating-${row.rowId}`}
                  value={row.rating}
                  onChange={(event) => editSkill(row.rowId, { rating: Number(event.target.value) })}
                >
                  {[1, 2, 3, 4, 5].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
              <button
                type="button"
                className="button secondary"
                onClick={() => {
                  setStatus('');
                  setSkills((rows) => rows.filter((other) => other.rowId !== row.rowId));
                }}
              >
                Remove<span className="visually-hidden"> {row.skill || `skill ${index + 1}`}</span>
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setStatus('');
              setSkills((rows) => [...rows, ...toRows([{ skill: '', rating: 3 }])]);
            }}
          >
            Add skill
          </button>
        </fieldset>

        <button type="submit" className="button primary big" disabled={saving.pending}>
          Save profile
        </button>
      </form>
      <Status>{status}</Status>
      <Alert>{error}</Alert>
      <MyData />
    </section>
  );
}
