// Start the NHS.UK frontend components (password reveal, error summary focus, header menu).
import { initAll } from "./vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
