import { createRoot } from 'react-dom/client';
import { App } from './App';
import { takeKeyFromLocation } from './session';
import './styles.css';

// A sign-in link (#key=...) is taken out of the address bar before anything renders.
const fromLink = takeKeyFromLocation();

const root = document.getElementById('root');
if (root) createRoot(root).render(<App openedFromLink={fromLink} />);
