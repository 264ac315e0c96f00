// What a scan result feels and sounds like, so a volunteer knows it without reading: a vibration pattern and a
// short tone per outcome, made with an oscillator (no audio files to download).

/** unsure: no answer came, so nobody knows whether it counted (neither a yes nor a no). */
export type Tone = 'ok' | 'warn' | 'bad' | 'unsure';

const VIBRATION: Record<Tone, number[]> = {
  ok: [70],
  warn: [90, 80, 90],
  bad: [300, 100, 300],
  unsure: [150, 150, 150, 150, 150],
};

/** Frequencies (Hz) and length (ms) of each note: rising for yes, level twice for "already", low for no, soft thrice for "not sure". */
const NOTES: Record<Tone, { type: OscillatorType; notes: number[]; ms: number }> = {
  ok: { type: 'sine', notes: [880, 1320], ms: 90 },
  warn: { type: 'triangle', notes: [660, 660], ms: 110 },
  bad: { type: 'square', notes: [220, 165], ms: 180 },
  unsure: { type: 'sine', notes: [523, 523, 523], ms: 80 },
};

let audio: AudioContext | null = null;

/**
 * Browsers start sound only after a tap: call this from one (choosing the station, the sound toggle), so later
 * results, which come from the camera and not from a tap, can be heard.
 */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  } catch {
    audio = null;
  }
}

function playTone(tone: Tone): void {
  if (!audio || audio.state !== 'running') return;
  const { type, notes, ms } = NOTES[tone];
  const gain = audio.createGain();
  gain.connect(audio.destination);
  let at = audio.currentTime;
  for (const frequency of notes) {
    const oscillator = audio.createOscillator();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    // A short fade in and out: no click at the start and end of each note.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + ms / 1000);
    oscillator.start(at);
    oscillator.stop(at + ms / 1000);
    at += ms / 1000 + 0.03;
  }
}

export function signal(tone: Tone, sound: boolean): void {
  if (typeof navigator.vibrate === 'function') navigator.vibrate(VIBRATION[tone]);
  if (sound) playTone(tone);
}
