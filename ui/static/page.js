() => {
  document.addEventListener('click', (e) => {
    const a = e.target.closest ? e.target.closest('a[href^="#cite-"]') : null;
    if (!a) return;
    e.preventDefault();
    e.stopPropagation();
    const m = a.getAttribute('href').match(/^#cite-(\d+)-(\d+)$/);
    const box = document.querySelector('#cite-target textarea, #cite-target input');
    if (!m || !box) return;
    box.value = m[1] + ':' + m[2] + ':' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }, true);
}
