// Layout checks that need a real browser with real Thai fonts: nothing on a
// page is wider than the screen (tables scroll inside their own box), and no
// chart label falls outside its SVG.

/** Returns a list of problems found on the current page. */
export async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) {
      // Name the widest elements that are not inside a scrolling box.
      const culprits = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > vw + 1)
        .filter((el) => !el.closest('.table-scroll'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport: ${culprits.join(', ')}`);
    }
    for (const svg of document.querySelectorAll('svg.chart')) {
      const vb = svg.viewBox.baseVal;
      for (const t of svg.querySelectorAll('text')) {
        const b = t.getBBox();
        if (b.width === 0) continue;
        if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width - 1 || b.y < vb.y - 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
          problems.push(`chart ${svg.closest('figure')?.id}: label "${t.textContent.trim()}" (${b.x.toFixed(0)}..${(b.x + b.width).toFixed(0)}, ${b.y.toFixed(0)}..${(b.y + b.height).toFixed(0)}) is outside ${vb.width}x${vb.height}`);
        }
      }
      // Labels that overlap other labels are unreadable too.
      const boxes = [...svg.querySelectorAll('text')].map((t) => ({ t, b: t.getBBox() })).filter((x) => x.b.width > 0);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].b, c = boxes[j].b;
          const ox = Math.min(a.x + a.width, c.x + c.width) - Math.max(a.x, c.x);
          const oy = Math.min(a.y + a.height, c.y + c.height) - Math.max(a.y, c.y);
          if (ox > 2 && oy > 4) {
            problems.push(`chart ${svg.closest('figure')?.id}: labels "${boxes[i].t.textContent.trim()}" and "${boxes[j].t.textContent.trim()}" overlap`);
          }
        }
      }
    }
    return problems;
  });
}
