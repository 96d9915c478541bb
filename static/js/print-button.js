// The print page's button opens the browser's print dialog (A4 landscape is set in CSS).
document.getElementById("print-button")?.addEventListener("click", () => window.print());
