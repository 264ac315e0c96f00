import type { ParticipantInput } from '../modules/participants/participants.service.js';

const FIRST_NAMES = [
  'Aisha',
  'Ben',
  'Carmen',
  'Daniel',
  'Elena',
  'Farah',
  'Gabriel',
  'Hana',
  'Isaac',
  'Jia',
  'Kofi',
  'Laura',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Samuel',
  'Tara',
  'Umar',
  'Valeria',
  'William',
  'Xin',
  'Yusuf',
  'Zoe',
  'Arjun',
  'Beatriz',
  'Chen',
  'Diego',
  'Emma',
  'Felix',
  'Grace',
  'Hiroshi',
  'Ines',
  'Jonah',
  'Keira',
  'Liam',
  'Maya',
  'Noah',
  'Olivia',
  'Pedro',
  'Riya',
  'Sofia',
  'Thomas',
  'Uma',
  'Victor',
  'Wen',
];
const LAST_NAMES = [
  'Abbott',
  'Bailey',
  'Chowdhury',
  'Dubois',
  'Evans',
  'Fernandez',
  'Garcia',
  'Huang',
  'Ibrahim',
  'Johnson',
  'Kim',
  'Lopez',
  'Martin',
  'Nguyen',
  'Okafor',
  'Patel',
  'Quinlan',
  'Rossi',
  'Singh',
  'Tanaka',
  'Usman',
  'Vasquez',
  'Williams',
  'Xu',
  'Yamamoto',
  'Zhang',
  'Anderson',
  'Brown',
  'Campbell',
  'Davies',
  'Edwards',
  'Fischer',
  'Gupta',
  'Hughes',
  'Ivanova',
  'Jensen',
  'Khan',
  'Lee',
  'Moreau',
  'Novak',
  'Olsen',
  'Park',
];
const COMPANY_FORMS = [
  (a: string) => `${a} Ltd`,
  (a: string) => `${a} Labs`,
  (a: string) => `${a} Group`,
  (a: string) => `${a} Inc`,
  (a: string, b: string) => `${a}-${b}`,
  (a: string, b: string) => `${a} and ${b}`,
  (a: string, b: string, c: string) => `${a}, ${b} and ${c}`,
];
export const DEMO_SKILLS = [
  'Android Studio',
  'Angular',
  'Arduino',
  'AWS',
  'Bash',
  'C',
  'C#',
  'C++',
  'Django',
  'Docker',
  'Elixir',
  'Express',
  'Figma',
  'Firebase',
  'Flask',
  'Flutter',
  'Fortran',
  'Go',
  'GraphQL',
  'Haskell',
  'Java',
  'JavaScript',
  'Jupyter',
  'Kotlin',
  'Kubernetes',
  'Linux',
  'MongoDB',
  'Next.js',
  'Node.js',
  'Numpy',
  'OpenCV',
  'Pandas',
  'PHP',
  'PostgreSQL',
  'Pygame',
  'Python',
  'PyTorch',
  'React',
  'Ruby',
  'Rust',
  'Scala',
  'SciPy',
  'Svelte',
  'Swift',
  'TensorFlow',
  'TypeScript',
  'Unity',
  'Vue.js',
];

/** mulberry32: small, fast and fully determined by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Participants in the challenge file's format; the same count and seed always give the same list. */
export function generateParticipants(count: number, seed = 2023): ParticipantInput[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  const phone = () =>
    pick([
      () => `+1-${digits(3)}-${digits(3)}-${digits(4)}`,
      () => `(${digits(3)})${digits(3)}-${digits(4)}`,
      () => `${digits(3)}.${digits(3)}.${digits(4)}`,
      () => `${digits(10)}`,
    ])();

  return Array.from({ length: count }, (_, index) => {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const skills = new Map<string, number>();
    const skillCount = int(2, 4);
    while (skills.size < skillCount) skills.set(pick(DEMO_SKILLS), int(1, 5));
    return {
      name: `${first} ${last}`,
      company: pick(COMPANY_FORMS)(pick(LAST_NAMES), pick(LAST_NAMES), pick(LAST_NAMES)),
      email: `${first}.${last}.${index + 1}@example.com`.toLowerCase(),
      phone: phone(),
      skills: [...skills].map(([skill, rating]) => ({ skill, rating })),
    };
  });
}
