/*
 * Self-assessment quizzes («Autoevaluación» blocks and the practice exam).
 *
 * Progressive enhancement: the page ships every question with its answers in a closed
 * <details>; this script reveals the Check and Retry buttons, hides the <details> and, on
 * Check, shows why each option is right or wrong, a verdict per question and the score in a
 * polite live region. Nothing is stored or sent. Idempotent (data-vc-ready), and it also runs
 * on every page change when Material's instant navigation is on (document$).
 */
(function () {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function visibleQuestions(quiz) {
    return all(quiz, "[data-vc-question]").filter(function (q) { return !q.hidden; });
  }

  function grade(question) {
    var options = all(question, ".vc-option");
    var chosen = 0;
    var right = options.every(function (option) {
      var input = option.querySelector("input");
      chosen += input.checked ? 1 : 0;
      return input.checked === (option.getAttribute("data-correct") === "true");
    });
    return chosen === 0 ? "blank" : right ? "right" : "wrong";
  }

  var VERDICTS = {
    right: "✓ Respuesta correcta.",
    wrong: "✗ Respuesta incorrecta. Lee la explicación de cada opción.",
    blank: "Sin responder. Lee la explicación de cada opción."
  };

  function showResult(question, result) {
    question.setAttribute("data-result", result);
    all(question, ".vc-option").forEach(function (option) {
      option.classList.toggle("vc-option--chosen", option.querySelector("input").checked);
      option.querySelector(".vc-feedback").hidden = false;
    });
    var verdict = question.querySelector(".vc-verdict");
    verdict.textContent = VERDICTS[result];
    verdict.hidden = false;
  }

  function reviewList(failed) {
    var list = document.createElement("ul");
    failed.forEach(function (question) {
      var link = question.querySelector("[data-vc-review]").cloneNode(true);
      var item = document.createElement("li");
      item.append(question.querySelector(".vc-question__number").textContent + " ", link);
      list.append(item);
    });
    return list;
  }

  function check(quiz) {
    var questions = visibleQuestions(quiz);
    var failed = questions.filter(function (question) {
      var result = grade(question);
      showResult(question, result);
      return result !== "right";
    });
    var right = questions.length - failed.length;
    var box = quiz.querySelector("[data-vc-result]");
    var score = document.createElement("p");
    score.className = "vc-quiz__score";
    score.textContent = "Has acertado " + right + " de " + questions.length + " preguntas.";
    box.replaceChildren(score);
    if (failed.length) {
      var intro = document.createElement("p");
      intro.textContent = "Para repasar:";
      box.append(intro, reviewList(failed));
    }
  }

  function reset(quiz) {
    visibleQuestions(quiz).forEach(function (question) {
      question.removeAttribute("data-result");
      question.querySelector(".vc-verdict").hidden = true;
      all(question, ".vc-option").forEach(function (option) {
        option.querySelector("input").checked = false;
        option.classList.remove("vc-option--chosen");
        option.querySelector(".vc-feedback").hidden = true;
      });
    });
    quiz.querySelector("[data-vc-result]").replaceChildren();
  }

  function number(questions) {
    questions.forEach(function (question, index) {
      question.querySelector(".vc-question__number").textContent = (index + 1) + ".";
    });
  }

  // Fisher-Yates: `size` distinct questions, in random order.
  function draw(pool, size) {
    var copy = pool.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = copy[i]; copy[i] = copy[j]; copy[j] = swap;
    }
    return copy.slice(0, size);
  }

  function newExam(exam, quiz) {
    var size = parseInt(exam.getAttribute("data-size"), 10);
    var pages = all(exam, "[data-vc-exam-setup] input:checked").map(function (box) {
      return box.value;
    });
    var status = exam.querySelector("[data-vc-exam-status]");
    reset(quiz);
    var pool = all(quiz, "[data-vc-question]").filter(function (question) {
      question.hidden = true;
      return pages.indexOf(question.getAttribute("data-page")) !== -1;
    });
    var chosen = draw(pool, size);
    chosen.forEach(function (question) {
      question.hidden = false;
      quiz.insertBefore(question, quiz.querySelector("[data-vc-actions]"));
    });
    number(chosen);
    quiz.querySelector("[data-vc-actions]").hidden = chosen.length === 0;
    status.textContent = chosen.length === 0 ? "Marca al menos un capítulo." :
      "Examen nuevo con " + chosen.length + " preguntas" +
      (chosen.length < size ? " (no hay más en los capítulos marcados)." : ".");
  }

  function enhanceExam(exam) {
    var quiz = exam.querySelector("[data-vc-quiz]");
    exam.querySelector("[data-vc-nojs]").hidden = true;
    exam.querySelector("[data-vc-exam-setup]").hidden = false;
    exam.querySelector("[data-vc-exam-draw]").addEventListener("click", function () {
      newExam(exam, quiz);
    });
    newExam(exam, quiz);
  }

  function enhance(quiz) {
    if (quiz.hasAttribute("data-vc-ready")) return;
    quiz.setAttribute("data-vc-ready", "");
    all(quiz, ".vc-answer").forEach(function (details) { details.hidden = true; });
    quiz.querySelector("[data-vc-actions]").hidden = false;
    quiz.querySelector("[data-vc-check]").addEventListener("click", function () { check(quiz); });
    quiz.querySelector("[data-vc-retry]").addEventListener("click", function () {
      reset(quiz);
      var first = visibleQuestions(quiz)[0];
      if (first) first.querySelector("input").focus();
    });
    var exam = quiz.closest("[data-vc-exam]");
    if (exam) enhanceExam(exam);
  }

  function start() {
    all(document, "[data-vc-quiz]").forEach(enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start); // Material: runs on load and after each instant page
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
