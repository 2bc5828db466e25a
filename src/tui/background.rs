//! Slow work off the keyboard's path: each job runs on its own thread with its own
//! read-only connection to the book (never [`Store::open`], whose checks would touch the
//! file), and its answer comes back as a message the loop picks up.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::app::{Message, SlowJob};
use crate::store::Store;

pub struct Background {
    /// The book's file; `None` (a book in memory) runs jobs in place.
    path: Option<PathBuf>,
    tx: Sender<Message>,
    rx: Receiver<Message>,
    running: usize,
}

impl Background {
    pub fn new(path: Option<PathBuf>) -> Background {
        let (tx, rx) = channel();
        Background { path, tx, rx, running: 0 }
    }

    pub fn start(&mut self, jobs: Vec<SlowJob>, store: &Store) {
        for job in jobs {
            self.running += 1;
            // A job that reads the book on a book in memory runs in place; an email never
            // needs the book, so it always goes on its own thread.
            let path = match (job.reads_book(), self.path.clone()) {
                (true, None) => {
                    let _ = self.tx.send(job.run(Some(store)));
                    continue;
                }
                (true, Some(p)) => Some(p),
                (false, _) => None,
            };
            let tx = self.tx.clone();
            let spawned = std::thread::Builder::new().name("settle-job".into()).spawn(move || {
                let answer = match path.map(|p| Store::open_read_only(&p)) {
                    Some(Ok(s)) => job.run(Some(&s)),
                    Some(Err(e)) => Message::Failed(e.into()),
                    None => job.run(None),
                };
                let _ = tx.send(answer);
            });
            if let Err(e) = spawned {
                let _ = self.tx.send(Message::Failed(crate::app::hint::Failure::said(format!(
                    "cannot start background work: {e}"
                ))));
            }
        }
    }

    /// Whether an answer is still to come.
    pub fn busy(&self) -> bool {
        self.running > 0
    }

    /// An answer that has come, if any.
    pub fn take(&mut self) -> Option<Message> {
        let m = self.rx.try_recv().ok()?;
        self.running = self.running.saturating_sub(1);
        Some(m)
    }
}
