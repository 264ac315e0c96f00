import { useEffect, useRef, useState } from 'react';
import { useLatest } from '../hooks';

/** not-loaded: the camera works but the decoder could not be downloaded (the network, not the camera, failed). */
type CameraState = 'starting' | 'running' | 'denied' | 'unavailable' | 'not-loaded';

const SCAN_INTERVAL_MS = 150;
/** Frames are scaled down to this many pixels on the long side before decoding: fast and plenty for a badge. */
const MAX_SIDE = 720;

/**
 * The phone camera (rear one when there is one), decoded with jsQR every ~150 ms. Calls onCode with the text
 * of every QR code it sees (callers debounce), except while paused (someone is typing a code). The camera
 * stops when the component unmounts.
 */
export function Scanner({ onCode, paused = false }: { onCode: (text: string) => void; paused?: boolean }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>('starting');
  const [attempt, setAttempt] = useState(0);
  const latest = useLatest(onCode);
  const pausedRef = useLatest(paused);

  useEffect(() => {
    let cancelled = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const video = videoRef.current;

    async function start() {
      if (!navigator.mediaDevices?.getUserMedia || !video || !context) {
        setState('unavailable');
        return;
      }
      // Both start at once; a failed download says nothing about the camera, so it is told apart below.
      const decoder = import('jsqr').then(
        (module) => module.default,
        () => null,
      );
      let media: MediaStream;
      try {
        media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
      } catch (error) {
        if (cancelled) return;
        const name = error instanceof DOMException ? error.name : '';
        setState(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable');
        return;
      }
      if (cancelled) {
        media.getTracks().forEach((track) => track.stop());
        return;
      }
      stream = media;
      const jsQR = await decoder;
      if (cancelled) return;
      if (!jsQR) {
        media.getTracks().forEach((track) => track.stop());
        setState('not-loaded');
        return;
      }
      video.srcObject = media;
      await video.play().catch(() => undefined);
      if (cancelled) return;
      setState('running');
      const tick = () => {
        if (cancelled) return;
        if (!pausedRef.current && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
          const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
          const width = Math.round(video.videoWidth * scale);
          const height = Math.round(video.videoHeight * scale);
          if (canvas.width !== width) canvas.width = width;
          if (canvas.height !== height) canvas.height = height;
          context.drawImage(video, 0, 0, width, height);
          const image = context.getImageData(0, 0, width, height);
          const found = jsQR(image.data, width, height, { inversionAttempts: 'dontInvert' });
          if (found?.data) latest.current(found.data);
        }
        timer = setTimeout(tick, SCAN_INTERVAL_MS);
      };
      tick();
    }

    void start();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
      if (video) video.srcObject = null;
    };
  }, [latest, pausedRef, attempt]);

  return (
    <div className="scanner">
      <div className={`camera camera-${state}`}>
        <video ref={videoRef} muted playsInline aria-label="Camera preview" />
        {state === 'running' && <div className="camera-frame" aria-hidden="true" />}
      </div>
      <p className="hint" aria-live="polite">
        {state === 'starting' && 'Starting the camera…'}
        {state === 'running' &&
          (paused ? 'Camera paused while a badge code is typed below.' : 'Point the camera at a badge QR code.')}
        {state === 'denied' && 'Camera access was refused. Allow the camera in your browser, or type the badge code below.'}
        {state === 'unavailable' && 'No camera here. Type the badge code below.'}
        {state === 'not-loaded' && 'The scanner could not be downloaded: check your connection, or type the badge code below.'}
      </p>
      {state === 'not-loaded' && (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setState('starting');
            setAttempt((n) => n + 1);
          }}
        >
          Try the camera again
        </button>
      )}
    </div>
  );
}
