// The worker script of createValidatorWorker() (./index.js): the default browser build.
import * as build from '../web/ehrlint.js';
import { serve } from './serve.js';

serve(build);
