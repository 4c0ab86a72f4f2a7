// Runs first in <body> (an external file, because the Content-Security-Policy forbids inline
// scripts): tells NHS.UK frontend's CSS that JavaScript is available.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
