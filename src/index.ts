/** Entry point for `probot run`: only wiring. */
import { createApp } from "./app.js";

export default createApp();
