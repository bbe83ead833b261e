// Lesson page behaviour: links, copy buttons, quizzes, "Mark complete", and state for restore.
// Runs under a CSP without 'unsafe-inline'; all listeners are attached here. Its text comes
// from the extension (pageData.strings), in the learner's display language.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  let pageData = JSON.parse(document.body.dataset.page || '{}');
  let state = { completed: !!pageData.completed, quizzes: pageData.quizzes || {} };
  let strings = pageData.strings || {};

  // Keep what a window reload needs: the document shown and where the reader was.
  const saveViewState = () => vscode.setState({ doc: pageData.doc, scrollY: window.scrollY });
  saveViewState();
  if (pageData.scrollY) window.scrollTo(0, pageData.scrollY);
  let scrollTimer;
  window.addEventListener('scroll', () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(saveViewState, 200);
  });

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    const link = target.closest('a');
    if (link) {
      event.preventDefault();
      if (link.dataset.lesson) {
        vscode.postMessage({ type: 'openLesson', lessonId: link.dataset.lesson, newPanel: event.ctrlKey || event.metaKey });
      } else if (link.dataset.external) {
        vscode.postMessage({ type: 'openExternal', href: link.getAttribute('href') });
      } else {
        const href = link.getAttribute('href') || '';
        const anchor = href.startsWith('#') && href.length > 1 ? document.getElementById(href.slice(1)) : null;
        if (anchor) anchor.scrollIntoView({ behavior: 'smooth' });
      }
      return;
    }

    const copy = target.closest('.copy-button');
    if (copy) {
      const code = copy.closest('.code-block')?.querySelector('code');
      if (code) {
        vscode.postMessage({ type: 'copy', text: code.textContent });
        const label = copy.textContent;
        copy.textContent = strings.copied || label;
        setTimeout(() => (copy.textContent = strings.copy || label), 1500);
      }
      return;
    }

    const choice = target.closest('.quiz-choice-button');
    if (choice && !choice.disabled) {
      const quiz = choice.closest('.quiz');
      const index = Number(choice.dataset.choice);
      showAnswer(quiz, index);
      vscode.postMessage({ type: 'quizAnswer', quizId: quiz.dataset.quizId, choice: index });
      return;
    }

    const retry = target.closest('.quiz-retry');
    if (retry) {
      resetQuiz(retry.closest('.quiz'));
      return;
    }

    if (target.closest('[data-action="toggle-complete"]')) {
      state.completed = !state.completed;
      renderCompletion();
      vscode.postMessage({ type: 'setComplete', complete: state.completed });
      return;
    }

    const reflection = target.closest('[data-reflection]');
    if (reflection) vscode.postMessage({ type: 'openReflection', ownerId: reflection.dataset.reflection });
  });

  function showAnswer(quiz, chosen) {
    const answer = Number(quiz.dataset.answer);
    quiz.querySelectorAll('.quiz-choice').forEach((item, i) => {
      item.classList.toggle('is-chosen', i === chosen);
      item.classList.toggle('is-correct', i === answer);
      item.classList.toggle('is-incorrect', i !== answer);
      item.querySelector('.quiz-choice-button').disabled = true;
      item.querySelector('.quiz-explanation').hidden = false;
    });
    const feedback = quiz.querySelector('.quiz-feedback');
    feedback.textContent = (chosen === answer ? strings.correct : strings.incorrect) || '';
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'secondary quiz-retry';
    retry.textContent = strings.answerAgain || '↺';
    feedback.appendChild(retry);
  }

  function resetQuiz(quiz) {
    quiz.querySelectorAll('.quiz-choice').forEach((item) => {
      item.classList.remove('is-chosen', 'is-correct', 'is-incorrect');
      item.querySelector('.quiz-choice-button').disabled = false;
      item.querySelector('.quiz-explanation').hidden = true;
    });
    quiz.querySelector('.quiz-feedback').textContent = '';
    quiz.querySelector('.quiz-choice-button')?.focus();
  }

  function renderCompletion() {
    const button = document.querySelector('[data-action="toggle-complete"]');
    if (!button) return;
    button.setAttribute('aria-pressed', String(state.completed));
    const text = state.completed ? strings.completed : strings.markComplete;
    if (text) button.textContent = text;
    button.title = (state.completed ? strings.completedTitle : strings.markCompleteTitle) || '';
  }

  function renderQuizzes() {
    document.querySelectorAll('.quiz').forEach((quiz) => {
      const saved = state.quizzes[quiz.dataset.quizId];
      if (typeof saved === 'number' && !quiz.querySelector('.is-chosen')) showAnswer(quiz, saved);
    });
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'show') {
      // Navigation inside the panel: new content without reloading the page.
      const root = document.getElementById('lesson-root');
      if (!root) return;
      root.innerHTML = message.content;
      pageData = message.data || {};
      state = { completed: !!pageData.completed, quizzes: pageData.quizzes || {} };
      strings = pageData.strings || strings;
      document.title = (root.querySelector('h1') || {}).textContent || document.title;
      window.scrollTo(0, pageData.scrollY || 0);
      saveViewState();
      renderCompletion();
      renderQuizzes();
      return;
    }
    if (message && message.type === 'state') {
      state = { completed: !!message.completed, quizzes: message.quizzes || {} };
      renderCompletion();
      renderQuizzes();
    }
  });

  renderCompletion();
  renderQuizzes();
  vscode.postMessage({ type: 'ready' });
})();
