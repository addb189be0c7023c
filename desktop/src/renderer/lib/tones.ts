/** Short check-in tones from a Web Audio oscillator: no sound files to ship. */
type Note = { hz: number; ms: number };

const ALLOW: readonly Note[] = [
  { hz: 880, ms: 110 },
  { hz: 1320, ms: 160 },
];
const DENY: readonly Note[] = [
  { hz: 220, ms: 220 },
  { hz: 180, ms: 320 },
];

let context: AudioContext | null = null;

function play(notes: readonly Note[], wave: OscillatorType): void {
  context ??= new AudioContext();
  const ctx = context;
  void ctx.resume();
  let at = ctx.currentTime;
  for (const { hz, ms } of notes) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = wave;
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.25, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + ms / 1000);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + ms / 1000);
    at += ms / 1000;
  }
}

export const playVerdictTone = (verdict: 'allow' | 'deny'): void =>
  verdict === 'allow' ? play(ALLOW, 'sine') : play(DENY, 'square');
