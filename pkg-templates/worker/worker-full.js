// The worker script of ehrlint/full/worker (./full.js): the full browser build.
import * as build from '../full/ehrlint.js';
import { serve } from './serve.js';

serve(build);
