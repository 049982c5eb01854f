"""Drives guanxi's HTML view in headless Chromium (Selenium and chromedriver, Debian's packages).

Usage: view.py PAGE.html SCREENSHOT.png NAME
Opens the page with the network off, searches for NAME, clicks (with the mouse) the first typed edge of the entity
the search selected, and prints one JSON object: console errors, what is drawn, what the search selected, the card
shown after the click, and every resource the page loaded. Saves a screenshot with the card open, then narrows the date range to its last date and prints what stays
drawn; then, with the date range whole again and every relation ticked, whether the minimum-confidence slider shows,
which edges stay drawn at 0.451 and at 0.9, and the card of a search for 甲公司.
"""
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By

page, shot, name = sys.argv[1:4]
options = webdriver.ChromeOptions()
for arg in ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
            # No network: every request goes to a closed port.
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]:
    options.add_argument(arg)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get("file://" + page)
    deadline = time.time() + 30
    while not driver.execute_script("return window.guanxiReady === true"):
        if time.time() > deadline:
            raise SystemExit("the page never became ready")
        time.sleep(0.1)
    result = {}
    result["drawn"] = driver.execute_script(
        "return {nodes: guanxiCy.nodes(':visible').length, edges: guanxiCy.edges(':visible').length,"
        " allNodes: guanxiCy.nodes().length, allEdges: guanxiCy.edges().length}")
    driver.find_element(By.ID, "search").send_keys(name)
    time.sleep(0.5)
    result["selected"] = driver.execute_script("return guanxiCy.nodes(':selected').map(n => n.data('label'))")
    result["card_after_search"] = driver.find_element(By.ID, "card").text
    target = driver.execute_script("""
        var node = guanxiCy.nodes(':selected')[0];
        if (!node) { return null; }
        var edge = node.connectedEdges().filter(e => e.visible())[0];
        if (!edge) { return null; }
        guanxiCy.fit(edge.connectedNodes(), 200);
        // A point on the edge that no node covers (the midpoint unless another node is drawn over it).
        var a = edge.source().renderedPosition(), b = edge.target().renderedPosition();
        var free = function (q) {
            return guanxiCy.nodes(':visible').every(function (n) {
                var bb = n.renderedBoundingBox({includeLabels: false});
                return q.x < bb.x1 - 4 || q.x > bb.x2 + 4 || q.y < bb.y1 - 4 || q.y > bb.y2 + 4;
            });
        };
        var p = edge.renderedMidpoint();
        [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65].some(function (t) {
            var q = {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t};
            if (free(q)) { p = q; return true; }
            return false;
        });
        var box = document.getElementById('cy').getBoundingClientRect();
        return {x: Math.round(p.x + box.left), y: Math.round(p.y + box.top), relation: edge.data('relation')};
    """)
    result["clicked"] = target
    if target:
        time.sleep(0.5)
        action = ActionBuilder(driver)
        action.pointer_action.move_to_location(target["x"], target["y"])
        action.pointer_action.click()
        action.perform()
        time.sleep(0.5)
    card = driver.find_element(By.ID, "card")
    result["card"] = card.text
    result["marks"] = [m.text for m in card.find_elements(By.CSS_SELECTOR, "mark")]
    # The screenshot shows the card, before the date range below changes what is drawn.
    driver.execute_script("document.getElementById('card').scrollIntoView(false)")
    driver.save_screenshot(shot)
    # The date range narrowed to the last date: every edge still drawn has evidence of that date.
    result["dates"] = driver.execute_script("""
        var dates = window.guanxiDates;
        if (!dates.length) { return {count: 0}; }
        var from = document.getElementById('dateFrom');
        from.value = String(dates.length - 1);
        from.dispatchEvent(new Event('input'));
        var last = dates[dates.length - 1];
        // Styles are recomputed at the next frame: count by the filter's class, not by ':visible'.
        var shown = guanxiCy.edges().filter(e => !e.hasClass('hidden'));
        var ids = shown.map(e => e.id());
        return {count: dates.length, last: last, shown: ids.length, ids: ids};
    """)
    result["confidence"] = driver.execute_script("""
        var from = document.getElementById('dateFrom');
        from.value = '0';
        from.dispatchEvent(new Event('input'));
        document.querySelectorAll('#relations input').forEach(function (i) { if (!i.checked) { i.click(); } });
        var slider = document.getElementById('confidence');
        var out = {shown: document.getElementById('confidenceBox').style.display !== 'none'};
        ['451', '900'].forEach(function (t) {
            slider.value = t;
            slider.dispatchEvent(new Event('input'));
            out[t] = guanxiCy.edges().filter(e => !e.hasClass('hidden')).map(e => e.id());
            out['label' + t] = document.getElementById('confidenceValue').textContent;
        });
        guanxiSearch('甲公司');
        out.entityCard = document.getElementById('card').innerText;
        return out;
    """)
    result["resources"] = driver.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)")
    result["errors"] = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    print(json.dumps(result, ensure_ascii=False))
finally:
    driver.quit()
